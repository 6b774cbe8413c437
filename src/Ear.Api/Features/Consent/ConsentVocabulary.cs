namespace Ear.Api.Features.Consent;

/// <summary>
/// The purposes an expert consents to, the bases a consent rests on and the states it can be in, each with the
/// words the OpenAPI document gives it. The database's CHECK constraints hold the same lists
/// (db/migrations/0020_consent_by_purpose_and_retention.sql).
/// </summary>
internal static class ConsentVocabulary
{
    public const string RosterMembership = "roster_membership";
    public const string CvSharing = "cv_sharing";
    public const string EvaluationUse = "evaluation_use";
    public const string CvTextExtraction = "cv_text_extraction";

    public const string StatedInProfile = "stated_in_profile";

    public const string Granted = "granted";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
    public const string None = "none";

    public static readonly IReadOnlyDictionary<string, string> Purposes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [RosterMembership] = "to be on the roster at all: without it the expert is never matched nor proposed",
        [CvSharing] = "to have the CV sent to a beneficiary administration: without it a CV download for cv_sharing is refused",
        [EvaluationUse] = "to have past evaluations used in matching: without it the evaluation half of trackRecord counts 0 and no evaluation excludes the expert",
        [CvTextExtraction] = "to have the CV's text extracted for search: without it CVs are stored without text, and a withdrawal deletes the text of every version",
    };

    public static readonly IReadOnlyDictionary<string, string> Bases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["focal_point_written_agreement"] = "the member state focal point's written agreement, on the expert's behalf",
        ["expert_declaration"] = "the expert's own declaration",
        [StatedInProfile] = "the consent field of the profile (POST/PUT /experts), or the single consent held before consent by purpose; its free text is in note",
    };

    public static readonly IReadOnlyDictionary<string, string> States = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Granted] = "in force",
        [Withdrawn] = "withdrawn; the purpose is not served from the withdrawal on",
        [Expired] = "its expiresAt has passed",
        [None] = "never recorded",
    };
}
