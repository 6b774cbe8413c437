using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.ReferenceData;

internal static class ReferenceDataApi
{
    public static void MapReferenceData(this IEndpointRouteBuilder app)
    {
        var reference = app.MapGroup("/api/v1").WithTags("Reference data").WithCacheableContent(TimeSpan.FromHours(1));
        reference.MapGet("/themes", GetThemes).WithName("ListThemes")
            .WithSummary("The thematic taxonomy as a tree: the five areas and their sub-themes.")
            .WithDescription("Any role. Codes are dotted (irregular.trafficking); a filter on a theme matches its sub-themes too.");
        reference.MapGet("/countries", GetCountries).WithName("ListCountries")
            .WithSummary("Countries (ISO 3166-1 alpha-2) with their EU membership periods and MIEUX regions.")
            .WithDescription("Any role.");
        reference.MapGet("/regions", GetRegions).WithName("ListRegions")
            .WithSummary("The MIEUX regions and their countries.")
            .WithDescription("Any role.");
        reference.MapGet("/languages", GetLanguages).WithName("ListLanguages")
            .WithSummary("Languages (ISO 639-1).")
            .WithDescription("Any role.");
    }

    private static async Task<Ok<IReadOnlyList<ThemeNode>>> GetThemes(ReferenceCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAsync(cancellationToken)).ThemeTree);

    private static async Task<Ok<IReadOnlyList<CountryResponse>>> GetCountries(ReferenceCatalog catalog, CancellationToken cancellationToken)
    {
        var reference = await catalog.GetAsync(cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        IReadOnlyList<CountryResponse> countries = reference.Countries.Values
            .OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => new CountryResponse(c.Code, c.Name, reference.IsEuMember(c.Code, today), c.EuMemberships, c.Regions))
            .ToList();
        return TypedResults.Ok(countries);
    }

    private static async Task<Ok<IReadOnlyList<RegionResponse>>> GetRegions(ReferenceCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAsync(cancellationToken)).Regions);

    private static async Task<Ok<IReadOnlyList<LanguageResponse>>> GetLanguages(ReferenceCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAsync(cancellationToken)).Languages);
}
