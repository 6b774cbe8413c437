using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Ear.Api.Features.ReferenceData;

namespace Ear.Api.DemoData;

/// <summary>
/// The 71 actions of the 2009-2015 publication (db/seed/mieux-actions-2009-2015.json), turned into
/// actions with their status history, activities parsed from the record's list, and the places the
/// recorded expert origins (member state or country, and kind) call for. The record names no
/// individuals: <see cref="DemoStory"/> casts who went.
/// </summary>
internal static partial class HistoricalRecord
{
    private const string Note = "Historical record (MIEUX 2009-2015 publication).";

    private static readonly Dictionary<string, (string Region, string Seat)> RegionalOrganisations = new(StringComparer.Ordinal)
    {
        ["ECOWAS"] = ("africa.west", "NG"),
        ["COMESA"] = ("africa.east_central_southern", "ZM"),
        ["MERCOSUR"] = ("latin_america_caribbean", "UY"),
        ["SICA"] = ("latin_america_caribbean", "SV"),
        ["AIPEI"] = ("asia.south_east", "ID"),
    };

    // The publication's own headings, for a regional action that names neither countries nor an organisation.
    private static readonly Dictionary<string, (string Region, string Seat)> Headings = new(StringComparer.Ordinal)
    {
        ["Africa"] = ("africa.west", "SN"),
        ["Asia"] = ("asia.south_east", "TH"),
        ["Eastern Europe"] = ("neighbourhood.east", "UA"),
        ["Latin America and Caribbean"] = ("latin_america_caribbean", "PE"),
        ["Middle East and North Africa"] = ("neighbourhood.south", "JO"),
    };

    private static readonly HashSet<string> FrenchSpeaking = ["BF", "BJ", "BI", "CI", "CM", "GA", "ML", "MR", "SN", "TG", "MA", "TN", "LB"];
    private static readonly HashSet<string> SpanishSpeaking = ["AR", "BO", "CO", "CR", "MX", "PA", "PE", "PY", "SV", "UY"];
    private static readonly HashSet<string> PortugueseSpeaking = ["AO", "BR", "CV", "GW", "MZ"];

    public static IReadOnlyList<RecordedAction> Read()
    {
        using var stream = typeof(HistoricalRecord).Assembly.GetManifestResourceStream("Ear.Seed.HistoricalActions.json")
            ?? throw new InvalidOperationException("The historical record is not embedded in the assembly.");
        return JsonSerializer.Deserialize<List<RecordedAction>>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("The historical record is empty.");
    }

    /// <summary>
    /// Every recorded action with its activities and the places its expert origins call for, in the
    /// record's order; "to be determined" origins are no place to fill.
    /// </summary>
    public static List<RecordedPlan> Plan(ReferenceSnapshot reference) =>
        Read().Select(recorded =>
        {
            var action = Describe(recorded, reference);
            return new RecordedPlan(recorded, action, Activities(recorded, action), recorded.ExpertOrigins.Where(o => o.Kind != "to_be_determined").ToList());
        }).ToList();

    private static DemoAction Describe(RecordedAction recorded, ReferenceSnapshot reference)
    {
        var countries = recorded.BeneficiaryCountries.Order(StringComparer.Ordinal).ToArray();
        var organisation = recorded.RegionalOrganisations.Count > 0 ? recorded.RegionalOrganisations[0]
            : countries.Length == 0 ? recorded.Name
            : null;
        var region = countries.SelectMany(c => reference.Countries[c].Regions).GroupBy(r => r)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault()
            ?? (organisation is not null && RegionalOrganisations.TryGetValue(organisation, out var known) ? known.Region : Headings[recorded.Region].Region);
        var from = Month(recorded.Start);
        DateOnly? to = recorded.End is null ? null : Month(recorded.End).AddMonths(1).AddDays(-1);
        var languages = WorkingLanguages(countries, region);
        var requestedAt = from.AddMonths(-3);
        var status = recorded.Status == "completed" ? "completed" : "in_implementation";
        return new DemoAction(
            DerivedId(recorded.Id),
            recorded.Id,
            Shorten(recorded.Name, 300),
            Shorten(string.Join("; ", recorded.RequestingAuthoritiesFr), 1000),
            countries,
            organisation,
            region,
            recorded.Themes.Distinct().Order(StringComparer.Ordinal).ToArray(),
            languages,
            requestedAt,
            from,
            to,
            status,
            new DateTimeOffset(requestedAt.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            DemoAction.Workflow(requestedAt, from, status == "completed" ? to : null),
            Note);
    }

    /// <summary>The languages the beneficiaries work in: French, Spanish or Portuguese where spoken, else English.</summary>
    public static string[] WorkingLanguages(string[] countries, string region) =>
        countries.Select(c => FrenchSpeaking.Contains(c) ? "fr" : SpanishSpeaking.Contains(c) ? "es" : PortugueseSpeaking.Contains(c) ? "pt" : "en")
            .DefaultIfEmpty(region == "latin_america_caribbean" ? "es" : region == "africa.west" ? "fr" : "en")
            .Distinct().Order(StringComparer.Ordinal).ToArray();

    private static List<DemoActivity> Activities(RecordedAction recorded, DemoAction action)
    {
        var titles = recorded.ActivitiesFr
            .SelectMany(text => ActivitySplitter().Split(text))
            .Select(t => t.Trim().TrimEnd(';').Trim())
            .Where(t => t.Length > 0)
            .DefaultIfEmpty(recorded.SubjectFr)
            .ToList();
        // Ongoing actions are placed as if they ran to the end of 2015, the date of the record.
        var end = action.To ?? new DateOnly(2015, 12, 31);
        var start = action.From!.Value;
        var days = Math.Max(titles.Count * 6, end.DayNumber - start.DayNumber + 1);
        var slot = days / titles.Count;
        var seat = action.BeneficiaryCountries.FirstOrDefault()
            ?? (action.RegionalOrganisation is not null && RegionalOrganisations.TryGetValue(action.RegionalOrganisation, out var known) ? known.Seat : Headings[recorded.Region].Seat);
        var studyVisitCountry = recorded.ExpertOrigins.FirstOrDefault(o => o.Kind == "eu_member_state" && o.Country is not null)?.Country;

        return titles.Select((title, index) =>
        {
            var type = TypeOf(title);
            var from = start.AddDays(index * slot + Math.Min(7, slot / 3));
            var to = from.AddDays(type == "study_visit" ? 4 : 2);
            if (action.To is { } actionEnd && to > actionEnd)
            {
                (from, to) = (actionEnd.AddDays(-2), actionEnd);
            }

            var country = type == "study_visit" && studyVisitCountry is not null ? studyVisitCountry : seat;
            return new DemoActivity(DerivedId($"{action.Code}/activity/{index + 1}"), action, type, Shorten(title, 500), from, to, country,
                new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }).ToList();
    }

    private static string TypeOf(string title)
    {
        var text = title.ToLowerInvariant();
        return text switch
        {
            _ when text.Contains("formateur", StringComparison.Ordinal) => "training_of_trainers",
            _ when text.Contains("visite", StringComparison.Ordinal) => "study_visit",
            _ when text.Contains("enquête", StringComparison.Ordinal) || text.Contains("exploratoire", StringComparison.Ordinal)
                || text.Contains("évaluation des besoins", StringComparison.Ordinal) => "fact_finding_mission",
            _ when text.Contains("validation", StringComparison.Ordinal) => "validation_conference",
            _ when text.Contains("régional", StringComparison.Ordinal) || text.Contains("regional", StringComparison.Ordinal) => "regional_consultation",
            _ when text.Contains("formation", StringComparison.Ordinal) => "training",
            _ when text.Contains("rédaction", StringComparison.Ordinal) || text.Contains("élaboration", StringComparison.Ordinal)
                || text.Contains("projet de", StringComparison.Ordinal) => "drafting_session",
            _ when text.Contains("atelier", StringComparison.Ordinal) => "workshop",
            _ => "information_session",
        };
    }

    private static DateOnly Month(string yearMonth) =>
        DateOnly.ParseExact(yearMonth + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ids derived from names in the record, so that the history is the same at every load.</summary>
    internal static Guid DerivedId(string name) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"ear-history-2009-2015/{name}")).AsSpan(0, 16));

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"Activité\s*\d+\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ActivitySplitter();
}

/// <summary>A recorded action as EAR holds it, its activities, and the expert origins it names.</summary>
internal sealed record RecordedPlan(RecordedAction Recorded, DemoAction Action, List<DemoActivity> Activities, List<RecordedOrigin> Places);

internal sealed record RecordedAction(
    string Id,
    string Name,
    string Status,
    string Region,
    [property: JsonPropertyName("beneficiary_countries")] IReadOnlyList<string> BeneficiaryCountries,
    [property: JsonPropertyName("regional_organisations")] IReadOnlyList<string> RegionalOrganisations,
    [property: JsonPropertyName("subject_fr")] string SubjectFr,
    IReadOnlyList<string> Themes,
    [property: JsonPropertyName("requesting_authorities_fr")] IReadOnlyList<string> RequestingAuthoritiesFr,
    [property: JsonPropertyName("activities_fr")] IReadOnlyList<string> ActivitiesFr,
    [property: JsonPropertyName("expert_origins")] IReadOnlyList<RecordedOrigin> ExpertOrigins,
    string Start,
    string? End);

internal sealed record RecordedOrigin(string Kind, string? Country);
