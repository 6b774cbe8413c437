using System.Net.Http.Json;
using System.Text.Json;

namespace Ear.Benchmarks;

/// <summary>Pages a MIEUX script asks for: filters alone, free text alone (common, rare), both, and a page deep in a ranked search.</summary>
internal static class SearchScenarios
{
    /// <summary>A word in about a fifth of the generated profiles (a theme's label, and the bios name themes).</summary>
    private const string CommonWord = "trafficking";

    /// <summary>The page the deep scenario reads: 40 pages of 50 in, past the first tier's start.</summary>
    private const int DeepPage = 40;

    public static readonly (string Name, string Query)[] All =
    [
        ("first page, no filter", "limit=50"),
        ("filtered: theme+language>=B2+origin", "theme=irregular&language=fr&minLevel=B2&origin=eu&limit=50"),
        ("filtered: region+availability+status", "regionOfExperience=africa.west&availableFrom=2027-03-01&availableTo=2027-03-10&status=active&limit=50"),
        ("filtered: nationality", "nationality=SN&limit=50"),
        ("q: a name", "q=Ferreira&limit=50"),
        ("q: a rare word", "q=Adeyemi&limit=50"),
        ("q: a common word", $"q={CommonWord}&limit=50"),
        ("q: a common word + filters", $"q={CommonWord}&language=fr&minLevel=B2&origin=eu&limit=50"),
        ("q + filters", "q=fronteras&language=es&minLevel=C1&origin=eu&limit=50"),
    ];

    /// <summary>Every scenario, and page <see cref="DeepPage"/> of the common word, reached by following the cursors once.</summary>
    public static async Task<IReadOnlyList<(string Name, string Query)>> WithDeepPageAsync(HttpClient client)
    {
        var query = $"q={CommonWord}&limit=50";
        for (var page = 1; page < DeepPage; page++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/experts?{query}");
            if (body.GetProperty("nextCursor").GetString() is not { } cursor)
            {
                break;
            }

            query = $"q={CommonWord}&limit=50&cursor={cursor}";
        }

        return [.. All, ($"q: a common word, page {DeepPage} by cursor", query)];
    }
}
