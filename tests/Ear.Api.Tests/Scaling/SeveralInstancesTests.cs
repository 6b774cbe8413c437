using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Platform;
using Ear.Api.Platform.Database;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Scaling;

/// <summary>
/// Two instances of the service on one database, started together as a load balancer's pool would be:
/// migrations are applied once, the rate limit is one budget, and matching sees writes made through the
/// other instance.
/// </summary>
[NonParallelizable]
public sealed class SeveralInstancesTests
{
    private const string AdminKey = "ear_instances-admin-key-0123456789abcdefghijklm";
    private const int PermitsPerMinute = 40;

    private TestPostgres.ScratchDatabase _database = null!;
    private EarApiFactory _first = null!;
    private EarApiFactory _second = null!;

    [OneTimeSetUp]
    public async Task StartTwoInstancesTogetherAsync()
    {
        _database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["Ear:RateLimit:PermitsPerMinute"] = PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _first = new EarApiFactory(_database.ConnectionString, settings);
        _second = new EarApiFactory(_database.ConnectionString, settings);
        // Both migrate at start: without the advisory lock one of them fails on a table the other just made.
        await Task.WhenAll(Task.Run(() => _first.Server), Task.Run(() => _second.Server));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Two_instances_starting_together_apply_each_migration_once()
    {
        var scripts = typeof(Migrations).Assembly.GetManifestResourceNames().Count(n => n.StartsWith("Ear.Migrations.", StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        var applied = (await connection.QueryAsync<string>($"SELECT scriptname FROM {Migrations.JournalTable}")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(applied, Has.Count.EqualTo(scripts));
            Assert.That(applied, Is.Unique);
        });
    }

    [Test]
    public async Task A_key_spent_through_one_instance_is_refused_by_the_other_after_a_flush()
    {
        await RateLimitWindows.WaitForRoomInTheMinuteAsync();
        var issued = await Admin(_first).PostAsJsonAsync("/api/v1/api-keys", new { name = "shared budget", role = "reader" });
        var secret = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        var viaFirst = Client(_first, secret);
        var viaSecond = Client(_second, secret);

        var throughFirst = new List<HttpStatusCode>();
        for (var i = 0; i < PermitsPerMinute + 1; i++)
        {
            throughFirst.Add((await viaFirst.GetAsync("/api/v1/themes")).StatusCode);
        }

        // Each instance counts locally and flushes every 200 ms (decision 0017): the second may admit what it
        // counted before the first's flush reached it, but counting alone it would admit all of these.
        var admittedBySecond = 0;
        var secondRefused = false;
        for (var attempt = 0; attempt < 15 && !secondRefused; attempt++)
        {
            var status = (await viaSecond.GetAsync("/api/v1/themes")).StatusCode;
            secondRefused = status == HttpStatusCode.TooManyRequests;
            admittedBySecond += status == HttpStatusCode.OK ? 1 : 0;
            await Task.Delay(MinuteBudgets.FlushInterval + MinuteBudgets.FlushInterval / 2);
        }

        Assert.Multiple(() =>
        {
            Assert.That(throughFirst.Take(PermitsPerMinute), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(throughFirst.Last(), Is.EqualTo(HttpStatusCode.TooManyRequests), "one instance counts its own requests exactly");
            Assert.That(secondRefused, Is.True, $"the second instance refuses once the first's counts reach it (it admitted {admittedBySecond})");
        });
    }

    [Test]
    public async Task An_expert_written_through_one_instance_is_matched_through_the_other()
    {
        var matching = new
        {
            themes = new[] { new { code = "irregular", weight = 1.0 } },
            beneficiaryCountries = new[] { "PE" },
            languages = new[] { new { code = "pt", minLevel = "B2", required = true } },
            period = new { from = "2027-03-01", to = "2027-03-10" },
        };
        var before = await CandidatesAsync(await Admin(_second).PostAsJsonAsync("/api/v1/matching", matching));

        var written = await AnExpert().Knowing("irregular.trafficking", 3).Speaking("pt", "C2").CreateAsync(Admin(_first));
        var after = await CandidatesAsync(await Admin(_second).PostAsJsonAsync("/api/v1/matching", matching));

        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Not.Contain(written));
            Assert.That(after, Does.Contain(written), "the second instance's roster caught up with the first's write");
        });
    }

    private static async Task<List<Guid>> CandidatesAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("expertId").GetGuid()).ToList();
    }

    private static HttpClient Admin(EarApiFactory factory) => Client(factory, AdminKey);

    private static HttpClient Client(EarApiFactory factory, string key)
    {
        var client = factory.CreateValidatedClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
