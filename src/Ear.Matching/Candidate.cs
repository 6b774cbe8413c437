namespace Ear.Matching;

/// <summary>An inclusive period of whole days.</summary>
public readonly record struct DayRange(DateOnly From, DateOnly To)
{
    public bool Overlaps(DayRange other) => From <= other.To && other.From <= To;
}

/// <summary>A live (not cancelled) past or planned deployment, with what it was about and how it went.</summary>
public sealed record PastDeployment(
    DayRange Days,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Themes,
    int? Rating,
    Recommendation? Recommendation);

public enum Recommendation
{
    Redeploy,
    RedeployOtherArea,
    DoNotRedeploy,
}

/// <summary>Everything the engine needs to know about one expert of the roster.</summary>
public sealed record Candidate
{
    public required Guid Id { get; init; }
    public required ExpertKind Kind { get; init; }
    public required string Nationality { get; init; }
    public string? MemberState { get; init; }
    public required bool IsWoman { get; init; }

    /// <summary>female, male, other or undisclosed, as recorded.</summary>
    public required string Gender { get; init; }

    public required bool IsActive { get; init; }
    public required bool HasConsent { get; init; }

    /// <summary>Whether the expert consented to past evaluations being used in matching: without it their evaluations
    /// count for nothing (the evaluation half of trackRecord is 0) and exclude nobody.</summary>
    public bool UsesEvaluations { get; init; } = true;

    /// <summary>Language code → rank (A1 = 1 … C2 = 6, native = 7).</summary>
    public required IReadOnlyDictionary<string, int> Languages { get; init; }

    /// <summary>Theme code → level (1 working knowledge, 2 experienced, 3 expert).</summary>
    public required IReadOnlyDictionary<string, int> Themes { get; init; }

    public required IReadOnlySet<string> CountriesOfExperience { get; init; }
    public required IReadOnlyList<DayRange> Unavailability { get; init; }
    public required IReadOnlyList<PastDeployment> Deployments { get; init; }

    public Origin Origin => ExpertKinds.OriginOf(Kind);
}
