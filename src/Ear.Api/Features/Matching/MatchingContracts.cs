using System.Text.Json;

namespace Ear.Api.Features.Matching;

/// <summary>
/// A matching request. For POST /actions/{id}/matching every field is optional: themes, countries,
/// region, working languages (B2, not required) and period come from the action, and any field given
/// here replaces the action's.
/// </summary>
internal sealed record MatchingRequest
{
    public IReadOnlyList<ThemeWeight>? Themes { get; init; }
    public IReadOnlyList<string>? BeneficiaryCountries { get; init; }

    /// <summary>A region code; when absent, the region the beneficiary countries share.</summary>
    public string? Region { get; init; }

    public IReadOnlyList<LanguageRequirement>? Languages { get; init; }
    public MatchingPeriod? Period { get; init; }
    public TeamRequest? Team { get; init; }

    /// <summary>How many ranked candidates to return, 1 to 200 (default 20); team members always come too.</summary>
    public int? Limit { get; init; }

    public IReadOnlyList<Guid>? ExcludeExpertIds { get; init; }
    public IReadOnlyList<Guid>? ExplainExpertIds { get; init; }

    /// <summary>Overrides of the default weights: themeFit 0.35, language 0.15, regionExperience 0.15, trackRecord 0.15, southSouth 0.05, rotation 0.15.</summary>
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
}

/// <summary>A theme code (its sub-themes count) and its weight (default 1).</summary>
internal sealed record ThemeWeight(string? Code, double? Weight);

/// <summary>A language, the lowest level that counts (default B2), and whether below it excludes.</summary>
internal sealed record LanguageRequirement(string? Code, string? MinLevel, bool? Required);

internal sealed record MatchingPeriod(DateOnly? From, DateOnly? To);

/// <summary>The team to propose: size 1 to 6 and the mix it must have.</summary>
internal sealed record TeamRequest(int? Size, int? MinEu, int? MinSouth, int? MaxOther, int? MaxPerCountry, int? MinWomen);

internal sealed record CandidateResult(
    Guid ExpertId,
    int Rank,
    double Score,
    string Origin,
    string Nationality,
    string Gender,
    IReadOnlyDictionary<string, double> Components,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<string> Reasons);

internal sealed record TeamResult(IReadOnlyList<Guid> Members, double TotalScore, bool Feasible, IReadOnlyList<string> Unmet, int ShortlistSize);

/// <summary>Why an expert asked about is, or is not, a candidate.</summary>
internal sealed record ExplanationResult(Guid ExpertId, CandidateResult? Candidate, IReadOnlyList<string> FailedRules);

internal sealed record MatchingResponse(
    Guid? RunId,
    int RosterSize,
    int Eligible,
    /// <summary>Excluded experts counted under every hard rule they fail (one expert may count under several).</summary>
    IReadOnlyDictionary<string, int> Excluded,
    int ExcludedTotal,
    IReadOnlyList<CandidateResult> Candidates,
    TeamResult? Team,
    IReadOnlyList<ExplanationResult> Explanations);

internal sealed record MatchingRun(Guid Id, Guid ActionId, Guid? RequestedBy, DateTimeOffset RequestedAt, JsonElement Request, JsonElement Response);
