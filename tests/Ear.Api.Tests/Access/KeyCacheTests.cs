using System.Diagnostics;
using System.Net;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Access;

/// <summary>
/// Every instance keeps the keys it has seen in memory (decision 0015) and must still refuse a revoked
/// key within a second, whichever instance revoked it and however the change reached the database.
/// </summary>
public sealed class KeyCacheTests : ApiTest
{
    /// <summary>What the README promises for a change made anywhere else.</summary>
    private static readonly TimeSpan Promised = TimeSpan.FromSeconds(1);

    [Test]
    public async Task A_key_revoked_through_one_instance_is_refused_by_another_within_a_second()
    {
        await using var otherInstance = new EarApiFactory(TestEnvironment.Postgres.ConnectionString);
        var admin = AsAdmin();
        var issued = await ReadJsonAsync(await PostJsonAsync(admin, "/api/v1/api-keys", new { name = "Reporting system", role = "reader" }));
        var onOtherInstance = otherInstance.CreateValidatedClient();
        onOtherInstance.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, issued.GetProperty("secret").GetString());
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await onOtherInstance.GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var revoked = await admin.DeleteAsync($"/api/v1/api-keys/{issued.GetProperty("key").GetProperty("id").GetGuid()}");
        var revokedAt = Stopwatch.GetTimestamp();
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var answers = await AnswersUntilPastThePromiseAsync(onOtherInstance, "/api/v1/themes", revokedAt);

        Assert.That(answers.Where(a => a.SentAfter >= Promised).Select(a => a.Status),
            Is.Not.Empty.And.All.EqualTo(HttpStatusCode.Unauthorized), Describe(answers));
    }

    [Test]
    public async Task A_member_state_changed_in_the_database_applies_within_a_second()
    {
        var admin = AsAdmin();
        var french = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(admin);
        var german = await AnExpert().Of("eu_civil_servant", "DE", "DE").CreateAsync(admin);
        var secret = await Keys.IssueAsync("focal_point", "FR");
        var focalPoint = WithKey(secret);
        Assert.That((await focalPoint.GetAsync($"/api/v1/experts/{french}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // As an operator would, behind the service's back: only the trigger tells the service.
        await using (var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE api_keys SET member_state = 'DE' WHERE key_hash = @hash", new { hash = ApiKeySecrets.Hash(secret) });
        }

        var changedAt = Stopwatch.GetTimestamp();
        var answers = await AnswersUntilPastThePromiseAsync(focalPoint, $"/api/v1/experts/{french}", changedAt);

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Where(a => a.SentAfter >= Promised).Select(a => a.Status),
                Is.Not.Empty.And.All.EqualTo(HttpStatusCode.NotFound), Describe(answers));
            Assert.That((await focalPoint.GetAsync($"/api/v1/experts/{german}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task The_listener_reconnects_after_its_connection_is_killed_and_revocation_still_reaches_the_instance()
    {
        var admin = AsAdmin();
        var secret = await Keys.IssueAsync("reader");
        var reader = WithKey(secret);
        Assert.That((await reader.GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        const string listeners = """
            SELECT pid FROM pg_stat_activity
            WHERE application_name = 'ear-api key listener' AND datname = current_database()
            """;
        var killed = (await connection.QueryAsync<int>(listeners)).ToList();
        Assert.That(killed, Is.Not.Empty, "no key listener was connected");

        await connection.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM unnest(@killed) AS pid", new { killed = killed.ToArray() });

        var deadline = Stopwatch.StartNew();
        List<int> back;
        do
        {
            await Task.Delay(100);
            back = (await connection.QueryAsync<int>(listeners)).Except(killed).ToList();
        }
        while (back.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30));

        Assert.That(back, Is.Not.Empty, "the key listener did not come back");
        Assert.That((await reader.GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE key_hash = @hash", new { hash = ApiKeySecrets.Hash(secret) });
        var revokedAt = Stopwatch.GetTimestamp();
        var answers = await AnswersUntilPastThePromiseAsync(reader, "/api/v1/themes", revokedAt);
        Assert.That(answers.Where(a => a.SentAfter >= Promised).Select(a => a.Status),
            Is.Not.Empty.And.All.EqualTo(HttpStatusCode.Unauthorized), Describe(answers));
    }

    /// <summary>
    /// Asks again and again until a request has been sent after the promised second: the ones sent
    /// earlier may still find the old key; every later one must not. A slow machine only sends fewer.
    /// </summary>
    private static async Task<List<(TimeSpan SentAfter, HttpStatusCode Status)>> AnswersUntilPastThePromiseAsync(
        HttpClient client, string url, long changedAt)
    {
        var answers = new List<(TimeSpan SentAfter, HttpStatusCode Status)>();
        while (true)
        {
            var sentAfter = Stopwatch.GetElapsedTime(changedAt);
            using var response = await client.GetAsync(url);
            answers.Add((sentAfter, response.StatusCode));
            if (sentAfter >= Promised)
            {
                return answers;
            }

            await Task.Delay(50);
        }
    }

    private static string Describe(List<(TimeSpan SentAfter, HttpStatusCode Status)> answers) =>
        string.Join(", ", answers.Select(a => $"{a.SentAfter.TotalMilliseconds:F0} ms: {(int)a.Status}"));
}
