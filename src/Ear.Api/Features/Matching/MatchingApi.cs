using System.Text.Json;
using Ear.Api.Auth;
using Ear.Api.Features.Actions;
using Ear.Api.Features.Experts;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Matching;
using Microsoft.AspNetCore.Http.HttpResults;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Matching;

internal static class MatchingApi
{
    public static void MapMatching(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Matching").RequireAuthorization(Policies.AdminOrReader)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/matching", MatchAsync).WithName("MatchExperts")
            .WithSummary("Rank the roster for explicit criteria and propose the best team; nothing is stored.")
            .WithDescription("Admins and readers. Hard rules exclude (counted in excluded); every other expert is scored on six components in [0, 1] " +
                "(" + string.Join(", ", MatchingVocabulary.Components) + ") weighted into score. The team is the exact optimum under the constraints; " +
                "when none meets them, team.feasible is false and team.unmet names them.");
        api.MapPost("/actions/{id:guid}/matching", MatchForActionAsync).WithName("MatchExpertsForAction")
            .WithSummary("Rank and propose a team for an action (its themes, countries, region, languages and period; the body overrides). The run is stored.")
            .WithDescription("Admins and readers. The body is optional; any field given replaces the action's. runId names the stored run.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/matching/runs/{id:guid}", GetRunAsync).WithName("GetMatchingRun")
            .WithSummary("A stored run: what was asked, what EAR proposed, by which key and when.")
            .WithDescription("Admins and readers.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<MatchingResponse>, ValidationProblem>> MatchAsync(
        MatchingRequest request, ReferenceCatalog catalog, RosterSnapshot roster, CancellationToken cancellationToken)
    {
        var reference = await catalog.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        var criteria = Validate(request, reference, errors);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return TypedResults.Ok(await roster.ReadAsync(
            current => Respond(MatchingEngine.Run(current, criteria, reference.Taxonomy), criteria, current.Count, runId: null), cancellationToken));
    }

    private static async Task<Results<Ok<MatchingResponse>, ValidationProblem, ProblemHttpResult>> MatchForActionAsync(
        Guid id, MatchingRequest? request, Caller caller, ReferenceCatalog catalog, RosterSnapshot roster, Db db, CancellationToken cancellationToken)
    {
        var action = await ActionReader.LoadAsync(db, id, cancellationToken);
        if (action is null)
        {
            return ActionReader.NotFound(id);
        }

        var merged = WithActionDefaults(request ?? new MatchingRequest(), action.Value.Action);
        var reference = await catalog.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        var criteria = Validate(merged, reference, errors);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var runId = Guid.CreateVersion7();
        var response = await roster.ReadAsync(
            current => Respond(MatchingEngine.Run(current, criteria, reference.Taxonomy), criteria, current.Count, runId), cancellationToken);
        await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            await MatchingWrites.InsertRunAsync(connection, transaction, runId, id, caller.KeyId,
                JsonSerializer.Serialize(merged, JsonSerializerOptions.Web), JsonSerializer.Serialize(response, JsonSerializerOptions.Web), token);
            return runId;
        }, cancellationToken);
        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<MatchingRun>, ProblemHttpResult>> GetRunAsync(Guid id, Db db, CancellationToken cancellationToken)
    {
        var row = await db.ReadAsync((connection, token) => MatchingQueries.GetRunAsync(connection, id, token), cancellationToken);
        return row is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such matching run.", detail: $"There is no run {id}.")
            : TypedResults.Ok(MatchingMapping.ToRun(row));
    }

    /// <summary>The action's themes, countries, region, languages and period, for each field the body leaves out.</summary>
    private static MatchingRequest WithActionDefaults(MatchingRequest body, ActionResponse action) => body with
    {
        Themes = body.Themes ?? action.Themes.Select(t => new ThemeWeight(t, 1)).ToList(),
        BeneficiaryCountries = body.BeneficiaryCountries ?? action.BeneficiaryCountries,
        Region = body.Region ?? action.Region,
        Languages = body.Languages ?? action.WorkingLanguages.Select(l => new LanguageRequirement(l, "B2", false)).ToList(),
        Period = body.Period ?? (action.Period is { } period ? new MatchingPeriod(period.From, period.To) : null),
    };

    /// <summary>The request as the engine's criteria, or null with every field's error collected.</summary>
    private static MatchCriteria? Validate(MatchingRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var themes = Themes(request, reference, errors);
        var countries = BeneficiaryCountries(request, reference, errors);
        var regionCountries = RegionCountries(request, reference, countries, errors);
        var languages = Languages(request, reference, errors);
        var (from, to) = Period(request, errors);
        var team = Team(request, errors);
        var limit = Limit(request, errors);
        var weights = WeightsOf(request, errors);
        CheckIdLists(request, errors);
        return errors.Any ? null : new MatchCriteria
        {
            Themes = themes,
            BeneficiaryCountries = countries,
            RegionCountries = regionCountries,
            Languages = languages,
            Period = new DayRange(from, to),
            Team = team,
            Limit = limit,
            Excluded = (request.ExcludeExpertIds ?? []).ToHashSet(),
            Explain = request.ExplainExpertIds ?? [],
            Weights = weights,
        };
    }

    private static List<ThemeNeed> Themes(MatchingRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var themes = new List<ThemeNeed>();
        foreach (var (theme, i) in (request.Themes ?? []).Select((t, i) => (t, i)))
        {
            var code = theme?.Code?.Trim().ToLowerInvariant();
            if (code is null || !reference.ThemeCodes.Contains(code))
            {
                errors.Add($"themes[{i}].code", $"'{theme?.Code}' is not a theme code (see GET /api/v1/themes).");
            }
            else if (theme!.Weight is { } w && (!double.IsFinite(w) || w < 0 || w > 100))
            {
                errors.Add($"themes[{i}].weight", "A number from 0 to 100.");
            }
            else if (themes.Any(t => t.Code == code))
            {
                errors.Add($"themes[{i}].code", $"{code} is listed twice.");
            }
            else
            {
                themes.Add(new ThemeNeed(code, theme.Weight ?? 1));
            }
        }

        if (themes.Count > 20)
        {
            errors.Add("themes", "At most 20 themes.");
        }

        return themes;
    }

    private static HashSet<string> BeneficiaryCountries(MatchingRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var countries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (country, i) in (request.BeneficiaryCountries ?? []).Select((c, i) => (c, i)))
        {
            if (reference.CountryCode(errors, $"beneficiaryCountries[{i}]", country, required: true) is { } code)
            {
                countries.Add(code);
            }
        }

        return countries;
    }

    /// <summary>The region's countries and the beneficiary countries; the region is the one they share when none is given.</summary>
    private static HashSet<string> RegionCountries(MatchingRequest request, ReferenceSnapshot reference, HashSet<string> countries, ValidationErrors errors)
    {
        string? region = request.Region;
        if (region is not null && !reference.RegionCodes.Contains(region))
        {
            errors.Add("region", $"'{region}' is not a region code (see GET /api/v1/regions).");
        }

        region ??= reference.SharedRegion(countries);
        var regionCountries = reference.Regions.FirstOrDefault(r => r.Code == region)?.Countries.ToHashSet(StringComparer.Ordinal) ?? [];
        regionCountries.UnionWith(countries);
        return regionCountries;
    }

    private static List<LanguageNeed> Languages(MatchingRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var languages = new List<LanguageNeed>();
        foreach (var (language, i) in (request.Languages ?? []).Select((l, i) => (l, i)))
        {
            var code = language?.Code?.Trim().ToLowerInvariant();
            if (code is null || !reference.LanguageCodes.Contains(code))
            {
                errors.Add($"languages[{i}].code", $"'{language?.Code}' is not an ISO 639-1 language code.");
            }
            else if (!LanguageLevels.TryRank(language!.MinLevel ?? "B2", out var rank))
            {
                errors.Add($"languages[{i}].minLevel", $"One of: {LanguageLevels.Describe()}.");
            }
            else if (languages.Any(l => l.Code == code))
            {
                errors.Add($"languages[{i}].code", $"{code} is listed twice.");
            }
            else
            {
                languages.Add(new LanguageNeed(code, rank, language.Required ?? false));
            }
        }

        return languages;
    }

    private static (DateOnly From, DateOnly To) Period(MatchingRequest request, ValidationErrors errors)
    {
        if (request.Period?.From is not { } from || request.Period.To is not { } to)
        {
            errors.Add("period", "Both period.from and period.to are required (YYYY-MM-DD, inclusive).");
            return (default, default);
        }

        if (to < from)
        {
            errors.Add("period.to", "Before period.from.");
        }

        return (from, to);
    }

    private static TeamSpec? Team(MatchingRequest request, ValidationErrors errors)
    {
        if (request.Team is not { } t)
        {
            return null;
        }

        if (t.Size is not (>= 1 and <= TeamRequest.MaxSize))
        {
            errors.Add("team.size", $"A whole number from 1 to {TeamRequest.MaxSize}.");
        }

        foreach (var (field, value) in new[] { ("minEu", t.MinEu), ("minSouth", t.MinSouth), ("maxOther", t.MaxOther), ("maxPerCountry", t.MaxPerCountry), ("minWomen", t.MinWomen) })
        {
            if (value is < 0 or > TeamRequest.MaxSize)
            {
                errors.Add($"team.{field}", $"A whole number from 0 to {TeamRequest.MaxSize}.");
            }
        }

        if (t.MaxPerCountry == 0)
        {
            errors.Add("team.maxPerCountry", "At least 1 (or leave it out).");
        }

        return new TeamSpec(t.Size ?? 0, t.MinEu ?? 0, t.MinSouth ?? 0, t.MaxOther, t.MaxPerCountry, t.MinWomen ?? 0);
    }

    private static int Limit(MatchingRequest request, ValidationErrors errors)
    {
        var limit = request.Limit ?? 20;
        if (limit is < 1 or > 200)
        {
            errors.Add("limit", "A whole number from 1 to 200.");
        }

        return limit;
    }

    private static Weights WeightsOf(MatchingRequest request, ValidationErrors errors)
    {
        var weights = Weights.Default;
        foreach (var (name, value) in request.Weights ?? new Dictionary<string, double>())
        {
            if (ScoreComponents.IndexOf(name) < 0)
            {
                errors.Add($"weights.{name}", $"Not a component. One of: {string.Join(", ", Weights.Names)}.");
            }
            else if (!double.IsFinite(value) || value < 0 || value > 100)
            {
                errors.Add($"weights.{name}", "A number from 0 to 100.");
            }
            else
            {
                weights = weights.With(name, value);
            }
        }

        return weights;
    }

    private static void CheckIdLists(MatchingRequest request, ValidationErrors errors)
    {
        if ((request.ExcludeExpertIds?.Count ?? 0) > 10_000)
        {
            errors.Add("excludeExpertIds", "At most 10,000 ids.");
        }

        if ((request.ExplainExpertIds?.Count ?? 0) > 100)
        {
            errors.Add("explainExpertIds", "At most 100 ids.");
        }
    }

    private static MatchingResponse Respond(MatchResult result, MatchCriteria criteria, int rosterSize, Guid? runId)
    {
        Platform.Telemetry.EarMetrics.MatchingCandidatesScored.Add(result.EligibleCount);
        var weights = ScoreComponents.All.ToDictionary(c => c.Name, c => criteria.Weights[c.Index]);
        CandidateResult ToResult(RankedCandidate c) => new(
            c.Expert.Id,
            c.Rank,
            c.Score,
            ExpertVocabulary.NameOf(c.Expert.Origin),
            c.Expert.Nationality,
            c.Expert.Gender,
            ScoreComponents.All.ToDictionary(component => component.Name, component => c.Components[component.Index]),
            weights,
            c.Reasons);

        return new MatchingResponse(
            runId,
            rosterSize,
            result.EligibleCount,
            result.Excluded,
            result.ExcludedCount,
            result.Candidates.Select(ToResult).ToList(),
            result.Team is { } team ? new TeamResult(team.Members, team.TotalScore, team.Feasible, team.Unmet, result.ShortlistSize) : null,
            result.Explanations.Select(e => new ExplanationResult(
                e.ExpertId,
                e.Candidate is null ? null : ToResult(e.Candidate),
                e.FailedRules,
                e.Alternative is { } a ? new TeamAlternativeResult(a.Members, a.TotalScore, a.Difference, a.Feasible, a.Unmet, a.Summary) : null)).ToList());
    }
}
