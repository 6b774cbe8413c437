using Ear.Api.Features.Consent;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Retention;

/// <summary>The kinds of retention action, each with what it does.</summary>
internal static class RetentionVocabulary
{
    public const string ConsentExpired = "consent_expired";
    public const string ReconfirmationRequested = "reconfirmation_requested";
    public const string ExpertErased = "expert_erased";
    public const string CvVersionDeleted = "cv_version_deleted";
    public const string AuditPseudonymised = "audit_pseudonymised";

    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ConsentExpired] = "a consent's expiresAt passed: its effect is applied as for a withdrawal (matching reloads the expert, CV text goes for cv_text_extraction)",
        [ReconfirmationRequested] = "the profile was not confirmed for ReconfirmAfterMonths: it becomes pending_reconfirmation and is not matched",
        [ExpertErased] = "pending re-confirmation for EraseAfterPendingMonths: erased as by DELETE /experts/{id}, statistics kept; skipped while a deployment is in progress",
        [CvVersionDeleted] = "a CV version older than the newest KeepCvVersions and uploaded more than DeleteOlderCvVersionsAfterMonths ago is deleted",
        [AuditPseudonymised] = "audit entries older than KeepAuditYears: key id and client address replaced by keyed hashes (count says how many)",
    };

    public static readonly IReadOnlyDictionary<string, string> Triggers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["schedule"] = "the daily run",
        ["admin"] = "POST /api/v1/retention/runs",
        ["expiry_watch"] = "the look for expired consents between daily runs (Retention:ExpiryCheckInterval); it records consent_expired only",
    };
}

/// <summary>One thing a retention run does (or, in a dry run, would do).</summary>
/// <param name="Kind">What is done.</param>
/// <param name="ExpertId">The expert concerned; null for audit_pseudonymised.</param>
/// <param name="CvVersion">For cv_version_deleted, the version; null otherwise.</param>
/// <param name="Purpose">For consent_expired, the purpose; null otherwise.</param>
/// <param name="Count">How many records the action covers: 1, or the entries of audit_pseudonymised.</param>
internal sealed record RetentionAction(
    [property: OneOf(typeof(RetentionVocabulary), nameof(RetentionVocabulary.Kinds))] string Kind,
    Guid? ExpertId,
    int? CvVersion,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))] string? Purpose,
    int Count);

/// <summary>What a retention run did, or what the next run would do (dryRun).</summary>
/// <param name="RunId">The recorded run; null for a dry run.</param>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="At">The time the policy was applied at.</param>
/// <param name="Policy">The policy applied.</param>
/// <param name="Counts">How many records each kind of action covers (0 for none).</param>
/// <param name="Actions">The actions, at most 1,000 (the counts are complete); ordered by kind, then expert.</param>
/// <param name="ActionsTruncated">True when there were more than 1,000 actions.</param>
internal sealed record RetentionReport(
    Guid? RunId,
    bool DryRun,
    DateTimeOffset At,
    RetentionPolicyView Policy,
    [property: KeysOneOf(typeof(RetentionVocabulary), nameof(RetentionVocabulary.Kinds), Always = true)] IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<RetentionAction> Actions,
    bool ActionsTruncated);

/// <summary>The retention policy in force (configuration section Retention).</summary>
/// <param name="ReconfirmAfterMonths">A profile not confirmed for this many months becomes pending_reconfirmation.</param>
/// <param name="EraseAfterPendingMonths">Pending this many months, it is erased.</param>
/// <param name="KeepCvVersions">The newest CV versions always kept.</param>
/// <param name="DeleteOlderCvVersionsAfterMonths">Older versions go once this many months old.</param>
/// <param name="KeepAuditYears">Audit entries are pseudonymised after this many years.</param>
internal sealed record RetentionPolicyView(int ReconfirmAfterMonths, int EraseAfterPendingMonths, int KeepCvVersions,
    int DeleteOlderCvVersionsAfterMonths, int KeepAuditYears);
