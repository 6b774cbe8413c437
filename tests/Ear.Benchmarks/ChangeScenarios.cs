using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Ear.Benchmarks;

/// <summary>
/// Issue #18's figures. (a) What the outbox costs expert creation: POST /api/v1/experts timed in alternating blocks with
/// the change triggers of experts and their consents enabled and disabled (ALTER TABLE … DISABLE TRIGGER on the bench database), so both
/// halves see the same machine; the transaction-local ear.key_id setting the service sends with every write is not
/// switched off, so its round trip is timed on its own. (b) Feed latency: one follower long-polls GET /api/v1/changes
/// (wait=30s) while a writer creates an expert every 100 ms; latency = when the follower saw the expert.created event
/// − when the writer had the 201 (the commit acknowledged).
/// </summary>
internal static class ChangeScenarios
{
    private const int Block = 25;
    // Every change trigger an expert's creation fires: the expert, and the roster-membership grant of its consent.
    private static readonly (string Table, string Trigger)[] Triggers =
        [("experts", "changes_experts_inserted"), ("expert_consents", "changes_expert_consents_granted")];

    public static async Task RunAsync(HttpClient client, string databaseConnectionString, int requests)
    {
        Console.WriteLine($"Expert creation, one client, {requests} requests with the outbox and {requests} without, alternating blocks of {Block}:");
        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(client);
        }

        var with = new List<double>();
        var without = new List<double>();
        await using var database = new NpgsqlConnection(databaseConnectionString);
        await database.OpenAsync();
        try
        {
            for (var block = 0; with.Count < requests || without.Count < requests; block++)
            {
                var outbox = block % 2 == 0;
                await SetTriggersAsync(database, enabled: outbox);
                var target = outbox ? with : without;
                for (var i = 0; i < Block && target.Count < requests; i++)
                {
                    target.Add(await CreateAsync(client));
                }
            }
        }
        finally
        {
            await SetTriggersAsync(database, enabled: true);
        }

        var withSummary = Latency.Summarise(with);
        var withoutSummary = Latency.Summarise(without);
        Console.WriteLine($"  with the outbox        {withSummary}");
        Console.WriteLine($"  without (triggers off) {withoutSummary}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  outbox cost at p50: {100 * (withSummary.P50 / withoutSummary.P50 - 1),5:F1} %   at p95: {100 * (withSummary.P95 / withoutSummary.P95 - 1),5:F1} %"));
        Console.WriteLine($"  set_config('ear.key_id') round trip (sent in both halves): {await SetConfigRoundTripAsync(database)}");

        await FeedLatencyAsync(client, Math.Max(50, requests / 2));
    }

    private static async Task FeedLatencyAsync(HttpClient client, int experts)
    {
        var tip = JsonDocument.Parse(await client.GetStringAsync("/api/v1/changes?limit=1000")).RootElement;
        var cursor = tip.GetProperty("next").GetString()!;
        while (tip.GetProperty("items").GetArrayLength() > 0)
        {
            tip = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/changes?limit=1000&after={cursor}")).RootElement;
            cursor = tip.GetProperty("next").GetString()!;
        }

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        using var followerClient = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        followerClient.DefaultRequestHeaders.Add("X-Api-Key", ServiceProcess.AdminKey);
        var follower = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var page = JsonDocument.Parse(await followerClient.GetStringAsync($"/api/v1/changes?types=expert.created&wait=30s&after={cursor}", stop.Token)).RootElement;
                    var now = Stopwatch.GetTimestamp();
                    foreach (var item in page.GetProperty("items").EnumerateArray())
                    {
                        seen.TryAdd(item.GetProperty("resourceId").GetString()!, now);
                    }

                    cursor = page.GetProperty("next").GetString()!;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var acknowledged = new Dictionary<string, long>();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < experts; i++)
        {
            await pace.WaitForNextTickAsync();
            var (id, at) = await CreateWithIdAsync(client);
            acknowledged[id] = at;
        }

        var deadline = Stopwatch.StartNew();
        while (acknowledged.Keys.Any(id => !seen.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await follower;
        var latencies = acknowledged.Where(a => seen.ContainsKey(a.Key))
            .Select(a => Stopwatch.GetElapsedTime(a.Value, seen[a.Key]).TotalMilliseconds).ToList();
        Console.WriteLine($"Feed latency, one long-polling follower, a writer creating an expert every 100 ms ({experts} experts, {experts - latencies.Count} never seen):");
        Console.WriteLine($"  commit acknowledged → follower has it   {Latency.Summarise(latencies)}");
    }

    private static async Task<double> CreateAsync(HttpClient client)
    {
        var started = Stopwatch.GetTimestamp();
        await CreateWithIdAsync(client);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<(string Id, long AcknowledgedAt)> CreateWithIdAsync(HttpClient client)
    {
        var n = Guid.NewGuid().ToString("N")[..12];
        using var response = await client.PostAsJsonAsync("/api/v1/experts", new
        {
            givenName = "Bench",
            familyName = $"Expert {n}",
            email = $"bench-{n}@example.org",
            gender = "female",
            nationality = "FR",
            kind = "eu_civil_servant",
            memberState = "FR",
            employer = "Ministère de l'Intérieur",
            languages = new[] { new { code = "fr", level = "native" } },
            themes = new[] { new { code = "irregular.border-management", level = 3 } },
            countriesOfExperience = Array.Empty<string>(),
            unavailability = Array.Empty<object>(),
            status = "active",
            consent = new { recordedAt = "2026-01-15T10:00:00Z", recordedBy = "MIEUX team", basis = "Written consent form" },
        });
        var acknowledged = Stopwatch.GetTimestamp();
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/v1/experts answered {(int)response.StatusCode}: {body}");
        }

        return (JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, acknowledged);
    }

    private static async Task SetTriggersAsync(NpgsqlConnection database, bool enabled)
    {
        foreach (var (table, trigger) in Triggers)
        {
            await using var command = new NpgsqlCommand($"ALTER TABLE {table} {(enabled ? "ENABLE" : "DISABLE")} TRIGGER {trigger}", database);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<Latency.Summary> SetConfigRoundTripAsync(NpgsqlConnection database)
    {
        var milliseconds = new List<double>();
        await using var command = new NpgsqlCommand("SELECT set_config('ear.key_id', $1, true)", database);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString() });
        for (var i = 0; i < 220; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await command.ExecuteScalarAsync();
            if (i >= 20)
            {
                milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return Latency.Summarise(milliseconds);
    }
}
