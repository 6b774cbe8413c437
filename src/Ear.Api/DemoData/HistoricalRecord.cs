using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dapper;
using Ear.Api.Features.ReferenceData;
using Npgsql;

namespace Ear.Api.DemoData;

/// <summary>
/// The 71 actions of the 2009-2015 publication (db/seed/mieux-actions-2009-2015.json), turned into
/// actions with their status history, activities parsed from the record's list, and deployments of
/// demonstration experts of the recorded origins (member state or country, and kind). The record
/// names no individuals, so who goes is chosen here: among the experts of the right origin, the one
/// least deployed so far who is free on the days. Completed actions' deployments are evaluated.
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

    public static async Task<int> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReferenceSnapshot reference, CancellationToken cancellationToken)
    {
        var pool = (await connection.QueryAsync<PoolExpert>(new CommandDefinition(
            "SELECT id, kind, nationality, member_state FROM experts WHERE erased_at IS NULL ORDER BY id",
            transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var booked = pool.ToDictionary(e => e.Id, _ => new List<(DateOnly From, DateOnly To)>());
        var random = new Random(2015);
        var actions = Read();

        foreach (var recorded in actions)
        {
            var action = Describe(recorded, reference);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO actions (id, code, title, requesting_authority, beneficiary_countries, regional_organisation, region, themes,
                                     working_languages, requested_at, period, status, created_at, updated_at, version)
                VALUES (@Id, @Code, @Title, @RequestingAuthority, @BeneficiaryCountries::char(2)[], @RegionalOrganisation, @Region, @Themes,
                        @WorkingLanguages::char(2)[], @RequestedAt, daterange(@From, @To, '[]'), @Status, @CreatedAt, @CreatedAt, 1)
                """, action, transaction, cancellationToken: cancellationToken));

            foreach (var (from, to, at) in History(action))
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO action_status_changes (action_id, from_status, to_status, note, changed_by, changed_at)
                    VALUES (@id, @from, @to, @note, NULL, @at)
                    """, new { id = action.Id, from, to, note = Note, at }, transaction, cancellationToken: cancellationToken));
            }

            var activities = Activities(recorded, action);
            foreach (var activity in activities)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO activities (id, action_id, type, title, period, country, remote, created_at)
                    VALUES (@Id, @ActionId, @Type, @Title, daterange(@From, @To, '[]'), @Country, false, @CreatedAt)
                    """, activity, transaction, cancellationToken: cancellationToken));
            }

            var origins = recorded.ExpertOrigins.Where(o => o.Kind != "to_be_determined").ToList();
            for (var i = 0; i < origins.Count; i++)
            {
                var activity = activities[i % activities.Count];
                var expert = Choose(pool, booked, origins[i], activity.From, activity.To);
                if (expert is null)
                {
                    continue;
                }

                booked[expert.Id].Add((activity.From, activity.To));
                var deploymentId = DerivedId($"{action.Code}/deployment/{i + 1}");
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO deployments (id, activity_id, expert_id, role, period, created_at, created_by)
                    VALUES (@deploymentId, @activityId, @expertId, @role, daterange(@from, @to, '[]'), @createdAt, NULL)
                    """, new
                {
                    deploymentId,
                    activityId = activity.Id,
                    expertId = expert.Id,
                    role = i == 0 ? "lead_expert" : "expert",
                    from = activity.From,
                    to = activity.To,
                    createdAt = activity.CreatedAt,
                }, transaction, cancellationToken: cancellationToken));

                if (action.Status == "completed")
                {
                    var draw = random.NextDouble();
                    await connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO evaluations (deployment_id, rating, recommendation, comment, evaluated_at, evaluated_by)
                        VALUES (@deploymentId, @rating, @recommendation, NULL, @evaluatedAt, NULL)
                        """, new
                    {
                        deploymentId,
                        rating = (short)(draw < 0.05 ? 2 : draw < 0.25 ? 3 : draw < 0.65 ? 4 : 5),
                        recommendation = draw < 0.03 ? "do_not_redeploy" : draw < 0.15 ? "redeploy_other_area" : "redeploy",
                        evaluatedAt = new DateTimeOffset(activity.To.AddDays(14).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    }, transaction, cancellationToken: cancellationToken));
                }
            }
        }

        return actions.Count;
    }

    private static ActionSeed Describe(RecordedAction recorded, ReferenceSnapshot reference)
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
        var languages = countries.Select(c => FrenchSpeaking.Contains(c) ? "fr" : SpanishSpeaking.Contains(c) ? "es" : PortugueseSpeaking.Contains(c) ? "pt" : "en")
            .DefaultIfEmpty(region == "latin_america_caribbean" ? "es" : region == "africa.west" ? "fr" : "en")
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        var requestedAt = from.AddMonths(-3);
        return new ActionSeed(
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
            recorded.Status == "completed" ? "completed" : "in_implementation",
            new DateTimeOffset(requestedAt.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }

    /// <summary>The workflow the action went through: request, fiche (three weeks), approval, implementation, end.</summary>
    private static IEnumerable<(string? From, string To, DateTimeOffset At)> History(ActionSeed action)
    {
        DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        yield return (null, "requested", At(action.RequestedAt));
        yield return ("requested", "in_preparation", At(action.RequestedAt.AddDays(21)));
        yield return ("in_preparation", "approved", At(action.RequestedAt.AddDays(60)));
        yield return ("approved", "in_implementation", At(action.From));
        if (action.Status == "completed")
        {
            yield return ("in_implementation", "completed", At(action.To!.Value));
        }
    }

    private static List<ActivitySeed> Activities(RecordedAction recorded, ActionSeed action)
    {
        var titles = recorded.ActivitiesFr
            .SelectMany(text => ActivitySplitter().Split(text))
            .Select(t => t.Trim().TrimEnd(';').Trim())
            .Where(t => t.Length > 0)
            .DefaultIfEmpty(recorded.SubjectFr)
            .ToList();
        // Ongoing actions are placed as if they ran to the end of 2015, the date of the record.
        var end = action.To ?? new DateOnly(2015, 12, 31);
        var days = Math.Max(titles.Count * 6, end.DayNumber - action.From.DayNumber + 1);
        var slot = days / titles.Count;
        var seat = action.BeneficiaryCountries.FirstOrDefault()
            ?? (action.RegionalOrganisation is not null && RegionalOrganisations.TryGetValue(action.RegionalOrganisation, out var known) ? known.Seat : Headings[recorded.Region].Seat);
        var studyVisitCountry = recorded.ExpertOrigins.FirstOrDefault(o => o.Kind == "eu_member_state" && o.Country is not null)?.Country;

        return titles.Select((title, index) =>
        {
            var type = TypeOf(title);
            var from = action.From.AddDays(index * slot + Math.Min(7, slot / 3));
            var to = from.AddDays(type == "study_visit" ? 4 : 2);
            if (action.To is { } actionEnd && to > actionEnd)
            {
                (from, to) = (actionEnd.AddDays(-2), actionEnd);
            }

            var country = type == "study_visit" && studyVisitCountry is not null ? studyVisitCountry : seat;
            return new ActivitySeed(DerivedId($"{action.Code}/activity/{index + 1}"), action.Id, type, Shorten(title, 500), from, to, country,
                new DateTimeOffset(action.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
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

    private static PoolExpert? Choose(List<PoolExpert> pool, Dictionary<Guid, List<(DateOnly From, DateOnly To)>> booked, RecordedOrigin origin, DateOnly from, DateOnly to)
    {
        Func<PoolExpert, bool> fits = origin.Kind switch
        {
            "eu_member_state" => e => e.Kind == "eu_civil_servant" && e.MemberState == origin.Country,
            "eu_member_state_unspecified" => e => e.Kind == "eu_civil_servant",
            "non_eu_state" => e => e.Kind == "south_civil_servant" && e.Nationality == origin.Country,
            "non_eu_state_unspecified" => e => e.Kind == "south_civil_servant",
            var kind => e => e.Kind == kind,
        };

        return pool.Where(fits)
            .Where(e => !booked[e.Id].Any(b => b.From <= to && from <= b.To))
            .OrderBy(e => booked[e.Id].Count)
            .ThenBy(e => e.Id)
            .FirstOrDefault();
    }

    private static DateOnly Month(string yearMonth) =>
        DateOnly.ParseExact(yearMonth + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ids derived from names in the record, so that the history is the same at every load.</summary>
    private static Guid DerivedId(string name) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"ear-history-2009-2015/{name}")).AsSpan(0, 16));

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"Activité\s*\d+\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex ActivitySplitter();

    private sealed record PoolExpert(Guid Id, string Kind, string Nationality, string? MemberState);

    private sealed record ActionSeed(
        Guid Id, string Code, string Title, string RequestingAuthority, string[] BeneficiaryCountries, string? RegionalOrganisation,
        string? Region, string[] Themes, string[] WorkingLanguages, DateOnly RequestedAt, DateOnly From, DateOnly? To, string Status,
        DateTimeOffset CreatedAt);

    private sealed record ActivitySeed(Guid Id, Guid ActionId, string Type, string Title, DateOnly From, DateOnly To, string? Country, DateTimeOffset CreatedAt);
}

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
