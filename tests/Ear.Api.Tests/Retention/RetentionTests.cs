using System.Net;
using System.Text.Json;
using Dapper;
using Ear.Api.Features.Retention;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Retention;

/// <summary>
/// The retention job on a roster whose confirmations are backdated through SQL (the clock is the system's): what it
/// suspends, erases and keeps, that past statistics do not move, that a second run does nothing, and that one instance
/// runs it at a time. Every assertion goes through the public API.
/// </summary>
[NonParallelizable]
public sealed class RetentionTests : ApiTest
{
    private static readonly object MatchSpanishSpeakers = new
    {
        themes = new[] { new { code = "irregular", weight = 1.0 } },
        beneficiaryCountries = new[] { "PE" },
        languages = new[] { new { code = "es", minLevel = "B2", required = true } },
        period = new { from = "2027-03-01", to = "2027-03-10" },
    };

    /// <summary>Moves what the API cannot set into the past: the experts joined five years ago, and these were confirmed or suspended long ago.</summary>
    private static async Task BackdateAsync(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    private static Task AgeAsync(Guid expert, int confirmedMonthsAgo, int? pendingMonthsAgo = null) => BackdateAsync("""
        UPDATE experts SET created_at = now() - interval '5 years', consent_recorded_at = now() - interval '5 years',
                           confirmed_at = now() - make_interval(months => @confirmedMonthsAgo),
                           pending_reconfirmation_since = CASE WHEN @pendingMonthsAgo::int IS NULL THEN NULL ELSE now() - make_interval(months => @pendingMonthsAgo::int) END
        WHERE id = @expert
        """, new { expert, confirmedMonthsAgo, pendingMonthsAgo });

    private static Dictionary<string, int> Counts(JsonElement report) =>
        report.GetProperty("counts").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32());

    private static IEnumerable<string> Actions(JsonElement report) =>
        report.GetProperty("actions").EnumerateArray().Select(a => $"{a.GetProperty("kind").GetString()}:{a.GetProperty("expertId")}");

    private static async Task<string> PastSummaryAsync(HttpClient client)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (await ReadJsonAsync(await client.GetAsync($"/api/v1/reports/summary?from={today.AddYears(-6):yyyy-MM-dd}&to={today.AddYears(-1):yyyy-MM-dd}"))).ToString();
    }

    [Test]
    public async Task A_run_suspends_profiles_unconfirmed_too_long_erases_those_pending_too_long_keeps_the_rest_and_past_figures_do_not_move()
    {
        var client = AsAdmin();
        var fresh = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var stale = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var longPending = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var recentlyPending = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        await AgeAsync(fresh, confirmedMonthsAgo: 12);
        await AgeAsync(stale, confirmedMonthsAgo: 40);
        await AgeAsync(longPending, confirmedMonthsAgo: 50, pendingMonthsAgo: 7);
        await AgeAsync(recentlyPending, confirmedMonthsAgo: 40, pendingMonthsAgo: 1);
        var summaryBefore = await PastSummaryAsync(client);

        var plan = await ReadJsonAsync(await client.GetAsync("/api/v1/retention/plan"));
        var run = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));

        var expected = new[] { $"reconfirmation_requested:{stale}", $"expert_erased:{longPending}" };
        Assert.Multiple(() =>
        {
            Assert.That(plan.GetProperty("dryRun").GetBoolean(), Is.True);
            Assert.That(Actions(plan), Is.EqualTo(expected), "the dry run lists what the run then does");
            Assert.That(Actions(run), Is.EqualTo(expected));
            Assert.That(run.GetProperty("runId").ValueKind, Is.EqualTo(JsonValueKind.String));
        });
        var candidates = (await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", MatchSpanishSpeakers)))
            .GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("expertId").GetGuid());
        var due = (await ReadJsonAsync(await client.GetAsync("/api/v1/reconfirmations"))).EnumerateArray()
            .ToDictionary(d => d.GetProperty("expertId").GetGuid(), d => d.GetProperty("state").GetString());
        Assert.Multiple(async () =>
        {
            Assert.That(candidates, Is.EquivalentTo(new[] { fresh }), "suspended profiles are not matched");
            Assert.That((await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{stale}"))).GetProperty("profileState").GetString(),
                Is.EqualTo("pending_reconfirmation"), "suspended, not erased");
            Assert.That((await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{fresh}"))).GetProperty("profileState").GetString(), Is.EqualTo("confirmed"));
            Assert.That((await client.GetAsync($"/api/v1/experts/{longPending}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "erased");
            Assert.That(due, Is.EqualTo(new Dictionary<Guid, string?> { [stale] = "pending_reconfirmation", [recentlyPending] = "pending_reconfirmation" }));
            Assert.That(await PastSummaryAsync(client), Is.EqualTo(summaryBefore), "the figures of past years");
        });
    }

    [Test]
    public async Task A_second_run_finds_nothing_to_do()
    {
        var client = AsAdmin();
        var stale = await AnExpert().CreateAsync(client);
        var longPending = await AnExpert().CreateAsync(client);
        await AgeAsync(stale, confirmedMonthsAgo: 40);
        await AgeAsync(longPending, confirmedMonthsAgo: 50, pendingMonthsAgo: 7);

        var first = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));
        var second = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));
        var plan = await ReadJsonAsync(await client.GetAsync("/api/v1/retention/plan"));

        Assert.Multiple(() =>
        {
            Assert.That(Counts(first).Values.Sum(), Is.EqualTo(2));
            Assert.That(Counts(second).Values, Is.All.Zero);
            Assert.That(plan.GetProperty("actions").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task One_instance_runs_it_at_a_time_the_other_is_answered_409()
    {
        var client = AsAdmin();
        await using var otherInstance = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await otherInstance.OpenAsync();
        Assert.That(await otherInstance.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key = RetentionJob.LockKey }), Is.True);

        await AssertProblemAsync(await client.PostAsync("/api/v1/retention/runs", null), 409);

        await otherInstance.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = RetentionJob.LockKey });
        Assert.That((await client.PostAsync("/api/v1/retention/runs", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Re_confirmation_restarts_the_clock_and_a_suspended_expert_is_matched_again()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").Of("eu_civil_servant", "PT", "PT").CreateAsync(client);
        await AgeAsync(expert, confirmedMonthsAgo: 40);
        await client.PostAsync("/api/v1/retention/runs", null);
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        var spanishFocal = WithKey(await Keys.IssueAsync("focal_point", "ES"));

        var seenBySpain = await ReadJsonAsync(await spanishFocal.GetAsync("/api/v1/reconfirmations"));
        var csv = await (await focal.GetAsync("/api/v1/reconfirmations.csv")).Content.ReadAsStringAsync();
        await AssertProblemAsync(await PostJsonAsync(spanishFocal, $"/api/v1/experts/{expert}/reconfirm", new { basis = "expert_declaration" }), 404);
        await AssertValidationProblemAsync(await PostJsonAsync(focal, $"/api/v1/experts/{expert}/reconfirm", new { basis = "a phone call" }), "basis");
        var confirmed = await ReadJsonAsync(await PostJsonAsync(focal, $"/api/v1/experts/{expert}/reconfirm", new { basis = "focal_point_written_agreement", note = "Letter" }));

        var candidates = (await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", MatchSpanishSpeakers)))
            .GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("expertId").GetGuid());
        Assert.Multiple(async () =>
        {
            Assert.That(seenBySpain.GetArrayLength(), Is.Zero, "a focal point sees its own member state only");
            Assert.That(csv.Split('\n')[0], Does.StartWith("memberState,expertId,givenName,familyName,email,state"));
            Assert.That(csv, Does.Contain($"PT,{expert},").And.Contain("pending_reconfirmation"));
            Assert.That(confirmed.GetProperty("state").GetString(), Is.EqualTo("confirmed"));
            Assert.That(candidates, Is.EqualTo(new[] { expert }));
            Assert.That((await ReadJsonAsync(await client.GetAsync("/api/v1/reconfirmations"))).GetArrayLength(), Is.Zero);
            Assert.That((await ReadJsonAsync(await client.GetAsync("/api/v1/retention/plan"))).GetProperty("actions").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Old_cv_versions_beyond_the_newest_two_go_and_old_audit_entries_are_pseudonymised()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        foreach (var n in new[] { 1, 2, 3 })
        {
            await client.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf($"CV version {n}"), $"cv{n}.pdf"));
        }

        await BackdateAsync("UPDATE cv_documents SET uploaded_at = now() - interval '2 years' WHERE expert_id = @expert AND version IN (1, 2)", new { expert });
        await BackdateAsync("UPDATE audit_entries SET at = now() - interval '6 years' WHERE target_id = @expert AND action = 'CreateExpert'", new { expert });

        var run = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));

        var versions = (await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/cv/versions"))).EnumerateArray().Select(v => v.GetProperty("version").GetInt32());
        var creation = (await ReadJsonAsync(await client.GetAsync($"/api/v1/audit?targetId={expert}"))).GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("action").GetString() == "CreateExpert");
        var upload = (await ReadJsonAsync(await client.GetAsync($"/api/v1/audit?targetId={expert}"))).GetProperty("items").EnumerateArray()
            .First(e => e.GetProperty("action").GetString() == "UploadCv");
        Assert.Multiple(() =>
        {
            Assert.That(Counts(run)["cv_version_deleted"], Is.EqualTo(1));
            Assert.That(Counts(run)["audit_pseudonymised"], Is.EqualTo(1));
            Assert.That(versions, Is.EqualTo(new[] { 2, 3 }), "version 2 is one of the newest two, however old");
            Assert.That(creation.GetProperty("keyId").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(creation.GetProperty("keyPseudonym").GetString(), Has.Length.EqualTo(64));
            Assert.That(creation.GetProperty("clientAddress").GetString(), Does.StartWith("pseudonym:"));
            Assert.That(upload.GetProperty("keyId").ValueKind, Is.EqualTo(JsonValueKind.String), "recent entries keep their key");
        });
    }

    [Test]
    public async Task An_expired_consent_takes_effect_at_the_next_run_once()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        await PostJsonAsync(client, $"/api/v1/experts/{expert}/consents",
            new { purposes = new[] { "roster_membership" }, basis = "expert_declaration", recordedAt = DateTimeOffset.UtcNow.AddDays(-2), expiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        await BackdateAsync("UPDATE expert_consents SET expires_at = now() - interval '1 hour' WHERE expert_id = @expert AND expires_at IS NOT NULL", new { expert });

        var first = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));
        var second = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));

        var consents = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/consents"));
        var candidates = (await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", MatchSpanishSpeakers))).GetProperty("candidates");
        var expiries = (await Changes.ChangeFeedTests.ReadAllAsync(client))
            .Where(e => e.GetProperty("type").GetString() == "consent.changed" && e.GetProperty("data").GetProperty("consentState").GetString() == "expired")
            .Select(e => $"{e.GetProperty("resourceId").GetGuid()}:{e.GetProperty("data").GetProperty("purpose").GetString()}");
        Assert.Multiple(() =>
        {
            Assert.That(expiries, Is.EqualTo(new[] { $"{expert}:roster_membership" }), "the feed announces the expiry once");
            Assert.That(Actions(first), Is.EqualTo(new[] { $"consent_expired:{expert}" }));
            Assert.That(Counts(second)["consent_expired"], Is.Zero);
            Assert.That(consents.GetProperty("purposes")[0].GetProperty("state").GetString(), Is.EqualTo("expired"));
            Assert.That(candidates.GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Between_daily_runs_the_expiry_watch_records_an_expired_consent_within_its_interval()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        await PostJsonAsync(client, $"/api/v1/experts/{expert}/consents",
            new { purposes = new[] { "roster_membership" }, basis = "expert_declaration", recordedAt = DateTimeOffset.UtcNow.AddDays(-2), expiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        await BackdateAsync("UPDATE expert_consents SET expires_at = now() - interval '1 hour' WHERE expert_id = @expert AND expires_at IS NOT NULL", new { expert });
        async Task<int> ExpiriesAnnouncedAsync() => (await Changes.ChangeFeedTests.ReadAllAsync(client))
            .Count(e => e.GetProperty("type").GetString() == "consent.changed" && e.GetProperty("data").GetProperty("consentState").GetString() == "expired");

        // A second instance with the watch on, looking every 200 ms (the shared one has it off, so that the other
        // tests' runs find their expiries themselves).
        var announced = 0;
        await using (var watching = new EarApiFactory(TestEnvironment.Postgres.ConnectionString,
                         new Dictionary<string, string?> { ["Retention:WatchExpiries"] = "true", ["Retention:ExpiryCheckInterval"] = "00:00:00.200" }))
        {
            _ = watching.Server;
            for (var deadline = DateTime.UtcNow.AddSeconds(15); announced == 0 && DateTime.UtcNow < deadline; await Task.Delay(100))
            {
                announced = await ExpiriesAnnouncedAsync();
            }
        }

        var run = await ReadJsonAsync(await client.PostAsync("/api/v1/retention/runs", null));
        var processing = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/processing"));
        Assert.Multiple(async () =>
        {
            Assert.That(announced, Is.EqualTo(1), "recorded and announced without a daily run");
            Assert.That(Counts(run)["consent_expired"], Is.Zero, "the watch recorded it; the daily run finds nothing more");
            Assert.That(await ExpiriesAnnouncedAsync(), Is.EqualTo(1));
            Assert.That(processing.ToString(), Does.Contain("consent_expired"));
        });
    }

    [Test]
    public async Task Only_admins_run_or_plan_retention_and_readers_do_not_list_reconfirmations()
    {
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        var reader = WithKey(await Keys.IssueAsync("reader"));

        await AssertProblemAsync(await focal.PostAsync("/api/v1/retention/runs", null), 403);
        await AssertProblemAsync(await focal.GetAsync("/api/v1/retention/plan"), 403);
        await AssertProblemAsync(await reader.GetAsync("/api/v1/reconfirmations"), 403);
        await AssertValidationProblemAsync(await AsAdmin().GetAsync("/api/v1/reconfirmations?memberState=XX"), "memberState");
    }
}
