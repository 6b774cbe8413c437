using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Ear.Benchmarks;

/// <summary>
/// The retention job over the whole roster: a realistic share of confirmations is backdated (a fifth unconfirmed for
/// over three years, a twentieth suspended for over six months, old audit entries), then the dry run, the run and a
/// second, idempotent run are timed through the API. Each run of the benchmark erases another twentieth of what the
/// previous one left: use a copy of the seeded roster (EAR_BENCH_DATA_DIR).
/// </summary>
internal static class RetentionScenario
{
    public static async Task RunAsync(HttpClient client, string connectionString, int experts)
    {
        client.Timeout = TimeSpan.FromMinutes(30);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var backdate = new NpgsqlCommand("""
                UPDATE experts SET
                    confirmed_at = CASE WHEN abs(hashtext(id::text)) % 100 < 25 THEN now() - interval '40 months' ELSE now() - interval '12 months' END,
                    pending_reconfirmation_since = CASE WHEN abs(hashtext(id::text)) % 100 < 5 THEN now() - interval '7 months' END
                WHERE erased_at IS NULL;
                UPDATE audit_entries SET at = now() - interval '6 years' WHERE id % 2 = 0 AND pseudonymised_at IS NULL;
                """, connection) { CommandTimeout = 600 };
            await backdate.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"Retention over {experts:N0} generated experts (about 20 % due for re-confirmation, 5 % pending past the grace period):");
        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("dry run (GET /retention/plan)", () => client.GetAsync("/api/v1/retention/plan")),
            ("run (POST /retention/runs)", () => client.PostAsync("/api/v1/retention/runs", null)),
            ("second run, idempotent", () => client.PostAsync("/api/v1/retention/runs", null)),
        })
        {
            var watch = Stopwatch.StartNew();
            var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            var counts = JsonDocument.Parse(body).RootElement.GetProperty("counts").EnumerateObject().Select(c => $"{c.Name} {c.Value.GetInt32()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-32} {watch.Elapsed.TotalSeconds,8:F2} s   {string.Join(", ", counts)}"));
        }
    }
}
