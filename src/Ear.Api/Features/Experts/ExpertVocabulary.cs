using Ear.Matching;

namespace Ear.Api.Features.Experts;

/// <summary>The words the API uses for an expert's gender, kind, origin and status.</summary>
internal static class ExpertVocabulary
{
    public static readonly IReadOnlyList<string> Genders = ["female", "male", "other", "undisclosed"];

    public static readonly IReadOnlyList<string> Statuses = ["active", "inactive"];

    public static readonly IReadOnlyList<string> Origins = ["eu", "south", "other"];

    public const string Confirmed = "confirmed";
    public const string PendingReconfirmation = "pending_reconfirmation";

    /// <summary>Where a profile stands with retention (decision 0022).</summary>
    public static readonly IReadOnlyDictionary<string, string> ProfileStates = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Confirmed] = "confirmed within the retention policy's period (Retention:ReconfirmAfterMonths), and matched",
        [PendingReconfirmation] = "not confirmed in time: not matched, and erased after Retention:EraseAfterPendingMonths unless re-confirmed",
    };

    public static readonly IReadOnlyDictionary<string, ExpertKind> Kinds = new Dictionary<string, ExpertKind>(StringComparer.Ordinal)
    {
        ["eu_civil_servant"] = ExpertKind.EuCivilServant,
        ["south_civil_servant"] = ExpertKind.SouthCivilServant,
        ["academic"] = ExpertKind.Academic,
        ["ngo"] = ExpertKind.Ngo,
        ["private_consultant"] = ExpertKind.PrivateConsultant,
        ["eu_agency"] = ExpertKind.EuAgency,
        ["international_organisation"] = ExpertKind.InternationalOrganisation,
    };

    public static string OriginOf(string kind) => NameOf(ExpertKinds.OriginOf(Kinds[kind]));

    public static string NameOf(Origin origin) => origin switch
    {
        Origin.Eu => "eu",
        Origin.South => "south",
        _ => "other",
    };

    /// <summary>The kinds that count in an origin, for filtering by origin in SQL.</summary>
    public static string[] KindsOf(string origin) => Kinds.Where(k => OriginOf(k.Key) == origin).Select(k => k.Key).ToArray();
}
