namespace Ear.Benchmarks;

/// <summary>Requests like the MIEUX team's: an action's themes, countries, languages, dates and team mix.</summary>
internal static class MatchingScenarios
{
    public sealed record Scenario(string Name, object Body, string[] ThemePrefixes, string[] Countries, string[] Region, string Language, int MinRank, bool Required);

    public static readonly Scenario[] All =
    [
        new("Peru, trafficking, Spanish required, team of 3",
            new
            {
                themes = new[] { new { code = "irregular.trafficking", weight = 1.0 } },
                beneficiaryCountries = new[] { "PE" },
                languages = new[] { new { code = "es", minLevel = "B2", required = true } },
                period = new { from = "2027-03-01", to = "2027-03-10" },
                team = new { size = 3, minEu = 2, minSouth = 1, maxOther = 0, maxPerCountry = 1, minWomen = 1 },
            },
            ["irregular.trafficking"], ["PE"], ["AR", "BO", "BR", "CO", "PE", "MX"], "es", 4, true),
        new("Senegal, labour migration, French, team of 4",
            new
            {
                themes = new[] { new { code = "legal.labour-migration", weight = 1.0 }, new { code = "development", weight = 0.5 } },
                beneficiaryCountries = new[] { "SN" },
                languages = new[] { new { code = "fr", minLevel = "B2", required = false } },
                period = new { from = "2027-05-10", to = "2027-05-14" },
                team = new { size = 4, minEu = 2, minSouth = 1, maxOther = 1, maxPerCountry = 2, minWomen = 2 },
            },
            ["legal.labour-migration", "development"], ["SN"], ["SN", "ML", "BF", "CI", "GH", "NG"], "fr", 4, false),
        new("Moldova, border management, English required, team of 3",
            new
            {
                themes = new[] { new { code = "irregular.border-management", weight = 1.0 }, new { code = "irregular.document-security", weight = 1.0 } },
                beneficiaryCountries = new[] { "MD" },
                languages = new[] { new { code = "en", minLevel = "B2", required = true }, new { code = "ru", minLevel = "B1", required = false } },
                period = new { from = "2027-09-01", to = "2027-09-05" },
                team = new { size = 3, minEu = 2, maxPerCountry = 1 },
            },
            ["irregular.border-management", "irregular.document-security"], ["MD"], ["AM", "AZ", "BY", "GE", "MD", "UA"], "en", 4, true),
        new("Morocco, legal migration, team of 6",
            new
            {
                themes = new[] { new { code = "legal", weight = 1.0 }, new { code = "horizontal.data", weight = 0.5 } },
                beneficiaryCountries = new[] { "MA" },
                languages = new[] { new { code = "fr", minLevel = "C1", required = true } },
                period = new { from = "2027-11-02", to = "2027-11-06" },
                team = new { size = 6, minEu = 3, minSouth = 1, maxPerCountry = 2, minWomen = 2 },
                weights = new { rotation = 0.3 },
            },
            ["legal", "horizontal.data"], ["MA"], ["DZ", "EG", "JO", "LB", "MA", "TN"], "fr", 5, true),
    ];
}
