using System.Net;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;

namespace Ear.Api.Tests.Hardening;

/// <summary>Requests without a valid key are cheap to send: they are budgeted per address, and cannot fill the audit.</summary>
[NonParallelizable]
public sealed class FloodTests
{
    private const string AdminKey = "ear_flood-admin-key-0123456789abcdefghijklmnopq";

    [Test]
    public async Task Requests_without_a_valid_key_get_429_past_the_address_budget_while_keys_and_health_go_on()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["Ear:RateLimit:AnonymousPermitsPerMinute"] = "5",
        });
        var anonymous = factory.CreateValidatedClient();
        var wrongKey = factory.CreateValidatedClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "ear_wrong");
        wrongKey.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        var admin = factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        await RateLimitWindows.WaitForRoomInTheMinuteAsync();
        for (var i = 0; i < 8; i++)
        {
            last = await (i % 2 == 0 ? anonymous : wrongKey).GetAsync("/api/v1/experts");
            statuses.Add(last.StatusCode);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(statuses.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(last.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60));
            Assert.That(last.Headers.GetValues("RateLimit-Policy"), Is.EqualTo(new[] { "\"address\";q=5;w=60" }));
            Assert.That(last.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await admin.GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await anonymous.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task A_flood_of_refused_requests_with_long_paths_adds_one_audit_row_per_address_status_and_minute()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
        });
        var anonymous = factory.CreateValidatedClient();
        const int requests = 300;

        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            var response = await anonymous.GetAsync($"/api/v1/experts/{i}/{new string('x', 4000)}", token);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        var (rows, occurrences, longestPath) = (0L, 0L, 0);
        for (var attempt = 0; attempt < 40 && occurrences < requests; attempt++)
        {
            await Task.Delay(50);
            (rows, occurrences, longestPath) = await connection.QuerySingleAsync<(long, long, int)>(
                "SELECT count(*), coalesce(sum(occurrences), 0), coalesce(max(length(path)), 0) FROM audit_entries");
        }

        Assert.Multiple(() =>
        {
            Assert.That(occurrences, Is.EqualTo(requests), "every refusal is counted");
            // One row per minute: the run may straddle a minute's end, never more.
            Assert.That(rows, Is.InRange(1, 2));
            Assert.That(longestPath, Is.LessThanOrEqualTo(201));
        });
    }
}
