using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ear.Benchmarks;

/// <summary>
/// An action like the MIEUX team's in West Africa, with eight activities of two to four experts (two
/// pairs of them overlapping) and mixes as the team asks for them, planned again and again through
/// POST /actions/{id}/plan with the default time limit.
/// </summary>
internal static class PlanScenarios
{
    private static readonly (string Type, string From, string To, object Team)[] Activities =
    [
        ("fact_finding_mission", "2027-05-10", "2027-05-14", new { size = 2, minEu = 1 }),
        ("workshop", "2027-06-07", "2027-06-09", new { size = 3, minEu = 2, minSouth = 1, maxPerCountry = 2 }),
        ("training", "2027-06-08", "2027-06-12", new { size = 4, minWomen = 2, maxOther = 1 }),
        ("drafting_session", "2027-07-05", "2027-07-07", new { size = 2 }),
        ("study_visit", "2027-07-20", "2027-07-24", new { size = 3, minEu = 2, maxPerCountry = 1 }),
        ("regional_consultation", "2027-09-14", "2027-09-16", new { size = 4, minSouth = 1, minWomen = 2 }),
        ("validation_conference", "2027-09-15", "2027-09-16", new { size = 2 }),
        ("information_session", "2027-10-12", "2027-10-13", new { size = 3, maxPerCountry = 2 }),
    ];

    public static async Task RunAsync(HttpClient client, int experts, int requests)
    {
        var (action, body) = await CreateActionAsync(client);
        Console.WriteLine($"Planning an action of 8 activities (2-4 experts, 24 places) over {experts:N0} generated experts, one client, {requests} requests:");
        var milliseconds = new List<double>();
        var plans = new List<JsonElement>();
        for (var i = 0; i < requests + 2; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"/api/v1/actions/{action}/plan", JsonContent.Create(body));
            var text = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
            }

            // The first two warm the service up.
            if (i >= 2)
            {
                milliseconds.Add(elapsed);
                plans.Add(JsonDocument.Parse(text).RootElement.Clone());
            }
        }

        var last = plans[^1];
        var activities = last.GetProperty("activities").EnumerateArray().ToList();
        var solver = last.GetProperty("solver");
        Console.WriteLine($"  plan request  {Latency.Summarise(milliseconds)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  proved optimal in {plans.Count(p => p.GetProperty("optimal").GetBoolean())} of {plans.Count}; last: value {last.GetProperty("value").GetDouble():F6}, bound {Bound(last)}, solver {solver.GetProperty("status").GetString()} in {solver.GetProperty("seconds").GetDouble():F3} s"));
        Console.WriteLine($"  activities staffed {activities.Count(a => a.GetProperty("staffed").GetBoolean())} of {activities.Count}; experts on more than one: {last.GetProperty("continuity").GetArrayLength()}");
        Console.WriteLine($"  eligible per activity {string.Join(", ", activities.Select(a => a.GetProperty("eligible").GetInt32()))}");
        Console.WriteLine($"  kept per activity     {string.Join(", ", activities.Select(a => a.GetProperty("candidates").GetInt32()))}");
        Console.WriteLine($"  model: {solver.GetProperty("experts").GetInt32()} experts, {solver.GetProperty("assignments").GetInt32()} assignments, {solver.GetProperty("constraints").GetInt32()} constraints");
        foreach (var gap in plans.Where(p => !p.GetProperty("optimal").GetBoolean()).Take(3))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  not proved: value {gap.GetProperty("value").GetDouble():F6}, bound {Bound(gap)}"));
        }
    }

    private static string Bound(JsonElement plan) =>
        plan.GetProperty("bound").ValueKind == JsonValueKind.Null ? "unknown" : plan.GetProperty("bound").GetDouble().ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>A new approved action with the eight activities, and the plan request naming them with their teams.</summary>
    private static async Task<(Guid Action, object Body)> CreateActionAsync(HttpClient client)
    {
        var code = $"BENCH-PLAN-{DateTime.UtcNow:yyyyMMddHHmmss}";
        var created = await ReadAsync(await client.PostAsJsonAsync("/api/v1/actions", new
        {
            code,
            title = "Labour migration and diaspora engagement in Senegal",
            requestingAuthority = "Ministry of Foreign Affairs",
            beneficiaryCountries = new[] { "SN" },
            themes = new[] { "legal.labour-migration", "development" },
            workingLanguages = new[] { "fr", "en" },
            period = new { from = "2027-05-01", to = "2027-10-31" },
        }));
        var action = created.GetProperty("id").GetGuid();
        foreach (var status in new[] { "in_preparation", "approved" })
        {
            await ReadAsync(await client.PostAsJsonAsync($"/api/v1/actions/{action}/status", new { to = status }));
        }

        var planned = new List<object>();
        foreach (var (type, from, to, team) in Activities)
        {
            var activity = await ReadAsync(await client.PostAsJsonAsync($"/api/v1/actions/{action}/activities", new { type, title = $"{type} {from}", from, to, country = "SN" }));
            var entry = JsonSerializer.SerializeToNode(team)!.AsObject();
            entry["activityId"] = activity.GetProperty("id").GetGuid();
            planned.Add(entry);
        }

        return (action, new { activities = planned });
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    }
}
