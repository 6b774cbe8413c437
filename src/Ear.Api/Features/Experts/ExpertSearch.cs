using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.OpenApi;
using Ear.Matching;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Experts;

/// <summary>
/// The filter of GET /api/v1/experts and GET /api/v1/experts.csv. Values arrive as text and are checked here,
/// so that a wrong one is answered with the parameter's name rather than a generic binding failure.
/// </summary>
internal record ExpertFilterParameters
{
    /// <summary>A theme code; its sub-themes match too.</summary>
    [FromQuery(Name = "theme")] public string? Theme { get; init; }

    /// <summary>An ISO 639-1 code the expert speaks (at minLevel or above when given).</summary>
    [FromQuery(Name = "language")] public string? Language { get; init; }

    /// <summary>A1, A2, B1, B2, C1, C2 or native; needs language.</summary>
    [FromQuery(Name = "minLevel"), OneOf(typeof(LanguageLevels), nameof(LanguageLevels.All))] public string? MinLevel { get; init; }

    /// <summary>eu, south or other.</summary>
    [FromQuery(Name = "origin"), OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Origins))]
    public string? Origin { get; init; }

    /// <summary>What the expert is.</summary>
    [FromQuery(Name = "kind"), OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Kinds))]
    public string? Kind { get; init; }

    /// <summary>ISO 3166-1 alpha-2 nationality.</summary>
    [FromQuery(Name = "nationality")] public string? Nationality { get; init; }

    /// <summary>The nominating member state (ISO 3166-1 alpha-2); a focal point always sees its own only.</summary>
    [FromQuery(Name = "memberState")] public string? MemberState { get; init; }

    /// <summary>A country of experience (ISO 3166-1 alpha-2).</summary>
    [FromQuery(Name = "countryOfExperience")] public string? CountryOfExperience { get; init; }

    /// <summary>A region code: experts with experience in any of its countries.</summary>
    [FromQuery(Name = "regionOfExperience")] public string? RegionOfExperience { get; init; }

    /// <summary>YYYY-MM-DD: experts free on every day from availableFrom to availableTo (default: the same day).</summary>
    [FromQuery(Name = "availableFrom"), WireFormat(Format = "date")] public string? AvailableFrom { get; init; }

    /// <summary>YYYY-MM-DD, on or after availableFrom: the last day the expert must be free.</summary>
    [FromQuery(Name = "availableTo"), WireFormat(Format = "date")] public string? AvailableTo { get; init; }

    /// <summary>active or inactive (default: both).</summary>
    [FromQuery(Name = "status"), OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Statuses))] public string? Status { get; init; }

    /// <summary>Words to find in names, theme labels (en/fr/es), position, employer, bio and CV text; accents and case do not matter, and en/fr/es/pt words match their other forms. Every word must be found; results then come by relevance.</summary>
    [FromQuery(Name = "q")] public string? Q { get; init; }
}

/// <summary>The query string of GET /api/v1/experts: the filter, then the page.</summary>
internal sealed record ExpertSearchParameters : ExpertFilterParameters
{
    /// <summary>The nextCursor of the previous page, with the same q (a cursor of another q is refused).</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// <summary>Experts a page, 1 to 200 (default 50).</summary>
    [FromQuery(Name = "limit"), WireFormat(Type = "integer", Minimum = 1, Maximum = 200)] public string? Limit { get; init; }
}

internal static class ExpertSearch
{
    public static ExpertFilter Parse(
        ExpertFilterParameters query, ReferenceSnapshot reference, string? scopeMemberState, ValidationErrors errors)
    {
        var themeCodes = reference.ThemeFilter(errors, "theme", query.Theme);

        string? language = null;
        if (!string.IsNullOrWhiteSpace(query.Language))
        {
            language = query.Language.Trim().ToLowerInvariant();
            if (!reference.LanguageCodes.Contains(language))
            {
                errors.Add("language", $"'{query.Language}' is not an ISO 639-1 language code.");
            }
        }

        var minRank = 1;
        if (!string.IsNullOrWhiteSpace(query.MinLevel))
        {
            if (!LanguageLevels.TryRank(query.MinLevel.Trim(), out minRank))
            {
                errors.Add("minLevel", $"One of: {LanguageLevels.Describe()}.");
            }
            else if (language is null)
            {
                errors.Add("minLevel", "Needs language.");
            }
        }

        var origin = Fields.OneOf(errors, "origin", query.Origin, ExpertVocabulary.Origins, required: false);
        var kind = Fields.OneOf(errors, "kind", query.Kind, ExpertVocabulary.Kinds.Keys, required: false);
        string[]? kinds = null;
        if (origin is not null || kind is not null)
        {
            kinds = (origin is null ? ExpertVocabulary.Kinds.Keys : ExpertVocabulary.KindsOf(origin))
                .Where(k => kind is null || k == kind).ToArray();
        }

        string[]? regionCountries = null;
        if (!string.IsNullOrWhiteSpace(query.RegionOfExperience))
        {
            var region = reference.Regions.FirstOrDefault(r => r.Code == query.RegionOfExperience.Trim());
            if (region is null)
            {
                errors.Add("regionOfExperience", $"'{query.RegionOfExperience}' is not a region code (see GET /api/v1/regions).");
            }
            else
            {
                regionCountries = [.. region.Countries];
            }
        }

        var availableFrom = errors.Date("availableFrom", query.AvailableFrom);
        var availableTo = errors.Date("availableTo", query.AvailableTo);
        if (availableTo is not null && availableFrom is null)
        {
            errors.Add("availableFrom", "Needed with availableTo.");
        }

        availableTo ??= availableFrom;
        if (availableFrom > availableTo)
        {
            errors.Add("availableTo", "Before availableFrom.");
        }

        var text = query.Q?.Trim();
        if (text is { Length: > 200 })
        {
            errors.Add("q", "At most 200 characters.");
        }

        return new ExpertFilter
        {
            ScopeMemberState = scopeMemberState,
            ThemeCodes = themeCodes,
            LanguageSkill = language is null ? null : ExpertsWrites.LanguageSkill(language, minRank),
            Kinds = kinds,
            Nationality = reference.CountryCode(errors, "nationality", query.Nationality, required: false),
            MemberState = reference.CountryCode(errors, "memberState", query.MemberState, required: false),
            CountryOfExperience = reference.CountryCode(errors, "countryOfExperience", query.CountryOfExperience, required: false),
            RegionCountries = regionCountries,
            AvailableFrom = availableFrom,
            AvailableTo = availableTo,
            Status = Fields.OneOf(errors, "status", query.Status, ExpertVocabulary.Statuses, required: false),
            Text = string.IsNullOrEmpty(text) ? null : text,
        };
    }
}
