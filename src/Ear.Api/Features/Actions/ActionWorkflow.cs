namespace Ear.Api.Features.Actions;

/// <summary>
/// The life of an action: requested → in_preparation → approved → in_implementation → completed;
/// a request still requested or in preparation may instead be rejected or transferred to another facility.
/// </summary>
internal static class ActionWorkflow
{
    public const string Requested = "requested";

    public static readonly IReadOnlyList<string> Statuses =
        ["requested", "in_preparation", "approved", "in_implementation", "completed", "rejected", "transferred"];

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        ["requested"] = ["in_preparation", "rejected", "transferred"],
        ["in_preparation"] = ["approved", "rejected", "transferred"],
        ["approved"] = ["in_implementation"],
        ["in_implementation"] = ["completed"],
        ["completed"] = [],
        ["rejected"] = [],
        ["transferred"] = [],
    };

    public static IReadOnlyList<string> AllowedFrom(string status) => Next[status];

    public static bool CanMove(string from, string to) => Next[from].Contains(to, StringComparer.Ordinal);

    /// <summary>Experts are deployed on approved actions and on those being implemented.</summary>
    public static bool AcceptsDeployments(string status) => status is "approved" or "in_implementation";
}
