using System.Text.Json;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.OpenApi;
using Ear.Matching;

namespace Ear.Api.Features.Matching;

/// <summary>The words matching answers with: the score components and the hard rules' names.</summary>
internal static class MatchingVocabulary
{
    public static readonly IReadOnlyList<string> Components = ScoreComponents.All.Select(c => c.Name).ToList();

    public static readonly IReadOnlyList<string> Exclusions = HardRules.Entries.Select(rule => rule.Name).ToList();
}

/// <summary>
/// A matching request. For POST /actions/{id}/matching every field is optional: themes, countries,
/// region, working languages (B2, not required) and period come from the action, and any field given
/// here replaces the action's.
/// </summary>
internal sealed record MatchingRequest
{
    /// <summary>The themes asked for, at most 20, each with its weight in themeFit.</summary>
    public IReadOnlyList<ThemeWeight>? Themes { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes: their nationals are excluded (conflict of interest), and experience there counts.</summary>
    public IReadOnlyList<string>? BeneficiaryCountries { get; init; }

    /// <summary>A region code; when absent, the region the beneficiary countries share.</summary>
    public string? Region { get; init; }

    /// <summary>The languages asked for.</summary>
    public IReadOnlyList<LanguageRequirement>? Languages { get; init; }

    /// <summary>The days of the mission: required (for an action, its period unless given here).</summary>
    [RequestRequired] public MatchingPeriod? Period { get; init; }

    /// <summary>The team to propose; none when absent.</summary>
    public TeamRequest? Team { get; init; }

    /// <summary>How many ranked candidates to return, 1 to 200 (default 20); team members always come too.</summary>
    [WireFormat(Minimum = 1, Maximum = 200)]
    public int? Limit { get; init; }

    /// <summary>Experts never to propose (at most 10,000).</summary>
    public IReadOnlyList<Guid>? ExcludeExpertIds { get; init; }

    /// <summary>Experts to explain, candidates or not (at most 100).</summary>
    public IReadOnlyList<Guid>? ExplainExpertIds { get; init; }

    /// <summary>Overrides of the default weights (each 0 to 100): themeFit 0.35, language 0.15, regionExperience 0.15, trackRecord 0.15, southSouth 0.05, rotation 0.15.</summary>
    [KeysOneOf(typeof(MatchingVocabulary), nameof(MatchingVocabulary.Components))]
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
}

/// <summary>A theme code (its sub-themes count) and its weight (default 1).</summary>
/// <param name="Code">A theme code (see GET /api/v1/themes).</param>
/// <param name="Weight">0 to 100 (default 1).</param>
internal sealed record ThemeWeight([property: RequestRequired] string? Code, [property: WireFormat(Minimum = 0, Maximum = 100)] double? Weight);

/// <summary>A language, the lowest level that counts (default B2), and whether below it excludes.</summary>
/// <param name="Code">ISO 639-1.</param>
/// <param name="MinLevel">A1 to C2 or native (default B2).</param>
/// <param name="Required">Whether an expert below minLevel is excluded (default false: it only scores less).</param>
internal sealed record LanguageRequirement(
    [property: RequestRequired] string? Code,
    [property: OneOf(typeof(LanguageLevels), nameof(LanguageLevels.All))] string? MinLevel,
    bool? Required);

/// <summary>The days of the mission, both included.</summary>
/// <param name="From">First day (YYYY-MM-DD).</param>
/// <param name="To">Last day (YYYY-MM-DD), on or after from.</param>
internal sealed record MatchingPeriod([property: RequestRequired] DateOnly? From, [property: RequestRequired] DateOnly? To);

/// <summary>The team to propose: size 1 to 6 and the mix it must have.</summary>
/// <param name="Size">How many members, 1 to 6.</param>
/// <param name="MinEu">At least this many EU experts (0 to 6, default 0).</param>
/// <param name="MinSouth">At least this many South experts (0 to 6, default 0).</param>
/// <param name="MaxOther">At most this many other experts (0 to 6; no limit when absent).</param>
/// <param name="MaxPerCountry">At most this many of one nationality (1 to 6; no limit when absent).</param>
/// <param name="MinWomen">At least this many women (0 to 6, default 0).</param>
internal sealed record TeamRequest(
    [property: RequestRequired, WireFormat(Minimum = 1, Maximum = TeamRequest.MaxSize)] int? Size,
    [property: WireFormat(Minimum = 0, Maximum = TeamRequest.MaxSize)] int? MinEu,
    [property: WireFormat(Minimum = 0, Maximum = TeamRequest.MaxSize)] int? MinSouth,
    [property: WireFormat(Minimum = 0, Maximum = TeamRequest.MaxSize)] int? MaxOther,
    [property: WireFormat(Minimum = 1, Maximum = TeamRequest.MaxSize)] int? MaxPerCountry,
    [property: WireFormat(Minimum = 0, Maximum = TeamRequest.MaxSize)] int? MinWomen)
{
    /// <summary>The largest team matching and planning accept; one constant so that both refuse the same sizes.</summary>
    public const int MaxSize = 6;
}

/// <summary>A ranked candidate and how its score was made.</summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="Rank">1 for the best; ties are broken by expert id.</param>
/// <param name="Score">Σ weight × component.</param>
/// <param name="Origin">How the expert counts in a team's mix.</param>
/// <param name="Nationality">ISO 3166-1 alpha-2.</param>
/// <param name="Gender">The expert's gender.</param>
/// <param name="Components">Each of the six components, in [0, 1].</param>
/// <param name="Weights">The weight each component had in this run.</param>
/// <param name="Reasons">Why the expert scores as it does, in words.</param>
internal sealed record CandidateResult(
    Guid ExpertId,
    [property: WireFormat(Minimum = 1)] int Rank,
    double Score,
    [property: OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Origins))] string Origin,
    string Nationality,
    [property: OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Genders))] string Gender,
    [property: KeysOneOf(typeof(MatchingVocabulary), nameof(MatchingVocabulary.Components), Always = true)] IReadOnlyDictionary<string, double> Components,
    [property: KeysOneOf(typeof(MatchingVocabulary), nameof(MatchingVocabulary.Components), Always = true)] IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<string> Reasons);

/// <summary>The proposed team.</summary>
/// <param name="Members">The members' expert ids; empty when no team meets the constraints.</param>
/// <param name="TotalScore">The sum of the members' scores.</param>
/// <param name="Feasible">Whether a team meets every constraint.</param>
/// <param name="Unmet">When not feasible, the constraints that cannot be met, in words (each starting with the constraint's name, e.g. "minEu: ...").</param>
/// <param name="ShortlistSize">How many candidates the team was chosen from.</param>
internal sealed record TeamResult(IReadOnlyList<Guid> Members, double TotalScore, bool Feasible, IReadOnlyList<string> Unmet, int ShortlistSize);

/// <summary>Why an expert asked about is, or is not, a candidate.</summary>
/// <param name="ExpertId">The expert asked about.</param>
/// <param name="Candidate">Its ranking when it is a candidate; null when a hard rule excludes it or it is not on the roster.</param>
/// <param name="FailedRules">The hard rules it fails, in words; empty for a candidate.</param>
/// <param name="Alternative">When a team was asked for and the expert is a candidate the proposed team leaves out: the best team that includes it and what that costs. Null otherwise.</param>
internal sealed record ExplanationResult(Guid ExpertId, CandidateResult? Candidate, IReadOnlyList<string> FailedRules, TeamAlternativeResult? Alternative);

/// <summary>The best team that includes an expert the proposed team leaves out, and what including it costs; a person decides.</summary>
/// <param name="Members">The members' expert ids, the expert among them; empty when no team that includes it meets the constraints.</param>
/// <param name="TotalScore">The sum of the members' scores; 0 when there is no such team.</param>
/// <param name="Difference">The proposed team's totalScore minus this one's, never negative (the proposed team is the optimum); null when no team that includes the expert is feasible.</param>
/// <param name="Feasible">Whether a team that includes the expert meets every constraint.</param>
/// <param name="Unmet">When not feasible, the constraints that no team including the expert can meet, in words (each starting with the constraint's name, as in team.unmet).</param>
/// <param name="Summary">The same in one sentence, numbers rounded to two decimals, e.g. "Including … lowers the team's score by 0.12: with them the team is … (total 2.31 against 2.43)."</param>
internal sealed record TeamAlternativeResult(IReadOnlyList<Guid> Members, double TotalScore, double? Difference, bool Feasible, IReadOnlyList<string> Unmet, string Summary);

/// <summary>A ranking of the roster and, when asked, a team.</summary>
/// <param name="RunId">The stored run's id (POST /actions/{id}/matching); null when nothing is stored.</param>
/// <param name="RosterSize">Experts on the roster.</param>
/// <param name="Eligible">Experts no hard rule excludes.</param>
/// <param name="Excluded">Excluded experts counted under every hard rule they fail (one expert may count under several); rules nobody failed are left out.</param>
/// <param name="ExcludedTotal">Distinct experts excluded.</param>
/// <param name="Candidates">The best candidates, best first, and the team's members.</param>
/// <param name="Team">The proposed team; null when none was asked for.</param>
/// <param name="Explanations">One for each of explainExpertIds.</param>
internal sealed record MatchingResponse(
    Guid? RunId,
    int RosterSize,
    int Eligible,
    [property: KeysOneOf(typeof(MatchingVocabulary), nameof(MatchingVocabulary.Exclusions))] IReadOnlyDictionary<string, int> Excluded,
    int ExcludedTotal,
    IReadOnlyList<CandidateResult> Candidates,
    TeamResult? Team,
    IReadOnlyList<ExplanationResult> Explanations);

/// <summary>A stored matching run.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="ActionId">The action it was for.</param>
/// <param name="RequestedBy">The API key that asked; null when not recorded.</param>
/// <param name="RequestedAt">When.</param>
/// <param name="Request">The criteria used: the body merged with the action's fields.</param>
/// <param name="Response">The answer given then, read back through today's schema (a field added since is null in older runs).</param>
internal sealed record MatchingRun(
    Guid Id,
    Guid ActionId,
    Guid? RequestedBy,
    DateTimeOffset RequestedAt,
    MatchingRequest Request,
    MatchingResponse Response);
