using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Features.Changes;
using Ear.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Changes;

/// <summary>GET /api/v1/changes: what each write announces, to whom, and in which order (decision 0023).</summary>
public sealed class ChangeFeedTests : ApiTest
{
    [Test]
    public async Task An_experts_life_is_announced_in_order_with_changed_field_names_and_an_erasure_without_personal_data()
    {
        var admin = AsAdmin();
        var builder = AnExpert().Named("Ana", "Pereira").WithEmail("ana.pereira@example.org").Of("eu_civil_servant", "PT", "PT");
        var id = await builder.CreateAsync(admin);
        var created = await admin.GetAsync($"/api/v1/experts/{id}");
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}")
        {
            Content = JsonContent.Create(builder.With("employer", "SEF Lisboa").Build(), options: Json),
        };
        update.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        Assert.That((await admin.SendAsync(update)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await admin.DeleteAsync($"/api/v1/experts/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent).Or.EqualTo(HttpStatusCode.OK));

        var events = await ReadAllAsync(admin);

        // The creation grants the profile's consent to each purpose it names, in the same transaction.
        Assert.That(events.Select(e => e.GetProperty("type").GetString()), Is.EqualTo(new[]
        {
            "expert.created", "consent.changed", "consent.changed", "consent.changed", "consent.changed", "expert.updated", "expert.erased",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.GetProperty("resourceId").GetGuid()), Is.All.EqualTo(id));
            Assert.That(events.Select(e => e.GetProperty("memberState").GetString()), Is.All.EqualTo("PT"));
            Assert.That(events.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count(), Is.EqualTo(7));
            Assert.That(events.Select(e => e.GetProperty("keyId").ValueKind), Is.All.EqualTo(JsonValueKind.String));
            Assert.That(events[1..5].Select(e => $"{e.GetProperty("data").GetProperty("purpose").GetString()}:{e.GetProperty("data").GetProperty("consentState").GetString()}"),
                Is.EqualTo(new[] { "roster_membership:granted", "cv_sharing:granted", "evaluation_use:granted", "cv_text_extraction:granted" }));
            Assert.That(events[5].GetProperty("data").GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "employer" }));
            var everything = string.Join("\n", events.Select(e => e.ToString()));
            Assert.That(everything, Does.Not.Contain("Pereira").And.Not.Contain("ana.pereira").And.Not.Contain("SEF"));
            Assert.That(events[6].GetProperty("data").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "expertId" }));
        });
    }

    [Test]
    public async Task A_withdrawal_is_announced_for_its_purpose_and_a_profile_write_that_keeps_the_consent_announces_none()
    {
        var admin = AsAdmin();
        var builder = AnExpert().WithoutConsentTo("cv_sharing").WithoutConsentTo("evaluation_use").WithoutConsentTo("cv_text_extraction");
        var id = await builder.CreateAsync(admin);
        await ChangeTypeTableTests.PutAsync(admin, $"/api/v1/experts/{id}", builder.With("employer", "Ministry").Build());
        Assert.That((await PostJsonAsync(admin, $"/api/v1/experts/{id}/consents/withdrawals", new { purpose = "roster_membership" })).IsSuccessStatusCode);

        var consentEvents = (await ReadAllAsync(admin)).Where(e => e.GetProperty("type").GetString() == "consent.changed")
            .Select(e => $"{e.GetProperty("data").GetProperty("purpose").GetString()}:{e.GetProperty("data").GetProperty("consentState").GetString()}");

        Assert.That(consentEvents, Is.EqualTo(new[] { "roster_membership:granted", "roster_membership:withdrawn" }));
    }

    [Test]
    public async Task Actions_activities_deployments_cvs_and_matching_runs_are_announced()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(admin);
        Assert.That((await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("Curriculum", "cv@example.org"), "cv.pdf"))).IsSuccessStatusCode);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(admin);
        var run = await admin.PostAsJsonAsync($"/api/v1/actions/{action}/matching",
            new { period = new { from = Days.FromToday(30), to = Days.FromToday(34) } }, Json);
        Assert.That(run.IsSuccessStatusCode, await run.Content.ReadAsStringAsync());
        var deployment = await DeployOnNewActivityAsync(admin, action, expert, -40, -36);
        var evaluation = await admin.PutAsJsonAsync($"/api/v1/deployments/{deployment}/evaluation",
            new { rating = 5, recommendation = "redeploy", comment = "Excellent." }, Json);
        Assert.That(evaluation.IsSuccessStatusCode, await evaluation.Content.ReadAsStringAsync());

        // The creation's consent events are another test's subject.
        var events = (await ReadAllAsync(admin)).Where(e => e.GetProperty("type").GetString() != "consent.changed").ToList();

        Assert.That(events.Select(e => e.GetProperty("type").GetString()), Is.EqualTo(new[]
        {
            "expert.created", "cv_version.added", "action.created", "action.status_changed", "action.status_changed", "matching_run.stored",
            "activity.added", "deployment.created", "deployment.evaluated",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(events[1].GetProperty("data").GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(events[4].GetProperty("data").GetProperty("to").GetString(), Is.EqualTo("approved"));
            Assert.That(events[5].GetProperty("data").GetProperty("actionId").GetGuid(), Is.EqualTo(action));
            Assert.That(events[7].GetProperty("resourceId").GetGuid(), Is.EqualTo(deployment));
            Assert.That(events[7].GetProperty("data").GetProperty("expertId").GetGuid(), Is.EqualTo(expert));
            Assert.That(events[8].GetProperty("memberState").GetString(), Is.EqualTo("FR"));
        });
    }

    [Test]
    public async Task A_focal_point_reads_the_events_of_its_member_states_experts_and_of_actions_only()
    {
        var admin = AsAdmin();
        var french = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(admin);
        await AnExpert().Of("eu_civil_servant", "DE", "DE").CreateAsync(admin);
        var action = await AnAction().CreateAsync(admin);
        var focalPoint = WithKey(await Keys.IssueAsync("focal_point", "FR"));

        var events = await ReadAllAsync(focalPoint);

        Assert.That(events.Select(e => e.GetProperty("resourceId").GetGuid()).Distinct(), Is.EqualTo(new[] { french, action }));
    }

    [Test]
    public async Task A_rolled_back_write_announces_nothing()
    {
        var admin = AsAdmin();
        await using (var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("""
                INSERT INTO actions (id, code, title, beneficiary_countries, status, created_at, updated_at)
                VALUES (gen_random_uuid(), 'ROLLED-BACK', 'Never was', '{MA}', 'requested', now(), now())
                """, transaction: transaction);
            await transaction.RollbackAsync();
        }

        var kept = await AnAction().CreateAsync(admin);

        var events = await ReadAllAsync(admin);
        Assert.That(events.Select(e => e.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { kept }));
    }

    /// <summary>
    /// The case that orders by transaction id get wrong: T1 starts first (lower xid) and writes elsewhere, then
    /// waits for T2's lock on the same expert; T2 commits first. The feed must list T2's change of the expert
    /// before T1's, and a follower that read after T2 committed must still get T1's events.
    /// </summary>
    [Test]
    public async Task Commits_out_of_transaction_id_order_on_one_expert_are_listed_in_commit_order_and_none_is_skipped()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Of("eu_civil_servant", "NL", "NL").CreateAsync(admin);
        var caughtUp = (await ReadPageAsync(admin, null)).GetProperty("next").GetString();
        var (firstKey, secondKey) = (Guid.NewGuid(), Guid.NewGuid());

        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        await using var t1 = await first.BeginTransactionAsync();
        await first.ExecuteAsync("SELECT set_config('ear.key_id', @key, true)", new { key = firstKey.ToString() }, t1);
        await first.ExecuteAsync("""
            INSERT INTO actions (id, code, title, beneficiary_countries, status, created_at, updated_at)
            VALUES (gen_random_uuid(), 'LATE-COMMIT', 'Written first, committed last', '{SN}', 'requested', now(), now())
            """, transaction: t1);
        var xid1 = await first.ExecuteScalarAsync<string>("SELECT pg_current_xact_id()::text", transaction: t1);

        await using var t2 = await second.BeginTransactionAsync();
        await second.ExecuteAsync("SELECT set_config('ear.key_id', @key, true)", new { key = secondKey.ToString() }, t2);
        await second.ExecuteAsync("UPDATE experts SET employer = 'second', version = version + 1 WHERE id = @expert", new { expert }, t2);
        var xid2 = await second.ExecuteScalarAsync<string>("SELECT pg_current_xact_id()::text", transaction: t2);
        Assert.That(ulong.Parse(xid1!, System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(ulong.Parse(xid2!, System.Globalization.CultureInfo.InvariantCulture)), "the test needs T1's transaction id below T2's");

        var blocked = first.ExecuteAsync("UPDATE experts SET employer = 'first', version = version + 1 WHERE id = @expert", new { expert }, t1);
        await WaitUntilWaitingForALockAsync();
        await t2.CommitAsync();
        await blocked;

        var afterSecond = await ReadPageAsync(admin, caughtUp);
        await t1.CommitAsync();
        var afterFirst = await ReadPageAsync(admin, afterSecond.GetProperty("next").GetString());

        var seenAfterSecond = afterSecond.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("keyId").GetGuid()).ToList();
        var seenAfterFirst = afterFirst.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("keyId").GetGuid(), e.GetProperty("type").GetString())).ToList();
        var expertOrder = (await ReadAllAsync(admin)).Where(e => e.GetProperty("resourceId").GetGuid() == expert && e.GetProperty("type").GetString() == "expert.updated")
            .Select(e => e.GetProperty("keyId").GetGuid()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seenAfterSecond, Is.EqualTo(new[] { secondKey }));
            Assert.That(seenAfterFirst, Is.EqualTo(new[] { (firstKey, "action.created"), (firstKey, "expert.updated") }));
            Assert.That(expertOrder, Is.EqualTo(new[] { secondKey, firstKey }));
        });
    }

    [Test]
    public async Task A_long_polling_follower_is_answered_when_a_change_commits()
    {
        var admin = AsAdmin();
        var caughtUp = (await ReadPageAsync(admin, null)).GetProperty("next").GetString();
        var polling = admin.GetAsync($"/api/v1/changes?after={caughtUp}&wait=20s");
        await Task.Delay(300);
        Assert.That(polling.IsCompleted, Is.False, "with nothing new, the follower waits");

        var action = await AnAction().CreateAsync(admin);

        var page = await ReadJsonAsync(await polling);
        Assert.That(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { action }));
    }

    [Test]
    public async Task A_cursor_into_trimmed_history_is_answered_gone_and_a_caught_up_one_reads_on()
    {
        var admin = AsAdmin();
        await AnAction().CreateAsync(admin);
        var afterFirst = (await ReadPageAsync(admin, null)).GetProperty("next").GetString();
        await AnAction().CreateAsync(admin);
        var afterSecond = (await ReadPageAsync(admin, afterFirst)).GetProperty("next").GetString();

        await ChangeFeedTrim.TrimAsync(TestEnvironment.Factory.Services.GetRequiredService<NpgsqlDataSource>(), TimeSpan.Zero, CancellationToken.None);
        var third = await AnAction().CreateAsync(admin);

        await AssertProblemAsync(await admin.GetAsync($"/api/v1/changes?after={afterFirst}"), 410);
        var onward = await ReadPageAsync(admin, afterSecond);
        var fromTheStart = await ReadPageAsync(admin, null);
        Assert.Multiple(() =>
        {
            Assert.That(onward.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { third }));
            Assert.That(fromTheStart.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { third }));
        });
    }

    [Test]
    public async Task The_trim_keeps_what_a_webhook_subscription_has_not_queued_yet()
    {
        var admin = AsAdmin();
        var first = await AnAction().CreateAsync(admin);
        var dataSource = TestEnvironment.Factory.Services.GetRequiredService<NpgsqlDataSource>();

        // A subscription up to date, and nothing older than the retention: nothing goes.
        var current = await ReadJsonAsync(await PostJsonAsync(admin, "/api/v1/webhooks/subscriptions", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "action.created" } }));
        await ChangeFeedTrim.TrimAsync(dataSource, TimeSpan.FromDays(30), CancellationToken.None);
        Assert.That((await ReadPageAsync(admin, null)).GetProperty("items").GetArrayLength(), Is.EqualTo(1), "nothing is older than the retention");
        Assert.That((await admin.DeleteAsync($"/api/v1/webhooks/subscriptions/{current.GetProperty("subscription").GetProperty("id").GetGuid()}")).IsSuccessStatusCode);

        var subscription = Guid.NewGuid();
        await using (var dispatcherLock = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            // Its instances all down: the subscription's lock held elsewhere, and its cursor before the first event.
            await dispatcherLock.OpenAsync();
            await dispatcherLock.ExecuteAsync("SELECT pg_advisory_lock(x'45415257'::int, hashtext(@id))", new { id = subscription.ToString() });
            await dispatcherLock.ExecuteAsync("""
                INSERT INTO webhook_subscriptions (id, url, event_types, secret, created_at, cursor_position, cursor_seq)
                VALUES (@subscription, 'http://127.0.0.1:9/hook', '{action.created}', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', now(), 0, 0)
                """, new { subscription });

            await ChangeFeedTrim.TrimAsync(dataSource, TimeSpan.Zero, CancellationToken.None);
            var kept = await ReadPageAsync(admin, null);
            Assert.That(kept.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { first }));
        }

        Assert.That((await admin.DeleteAsync($"/api/v1/webhooks/subscriptions/{subscription}")).IsSuccessStatusCode);
        await ChangeFeedTrim.TrimAsync(dataSource, TimeSpan.Zero, CancellationToken.None);
        Assert.That((await ReadPageAsync(admin, null)).GetProperty("items").GetArrayLength(), Is.Zero, "trimmed once nobody waits for it");
    }

    [TestCase("after=not-a-cursor", "after")]
    [TestCase("types=expert.created,expert.exploded", "types")]
    [TestCase("types=,", "types")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=1001", "limit")]
    [TestCase("wait=31s", "wait")]
    [TestCase("wait=soon", "wait")]
    public async Task A_wrong_parameter_is_refused_by_name(string query, string field) =>
        await AssertValidationProblemAsync(await AsAdmin().GetAsync($"/api/v1/changes?{query}"), field);

    [Test]
    public async Task Types_and_limit_select_and_page_the_feed()
    {
        var admin = AsAdmin();
        var actions = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            await AnExpert().Of("academic", "IT").CreateAsync(admin);
            actions.Add(await AnAction().CreateAsync(admin));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        for (var page = 0; page < 5; page++)
        {
            var answer = await ReadJsonAsync(await admin.GetAsync($"/api/v1/changes?types=action.created&limit=2{(cursor is null ? "" : $"&after={cursor}")}"));
            seen.AddRange(answer.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("resourceId").GetGuid()));
            cursor = answer.GetProperty("next").GetString();
        }

        Assert.That(seen, Is.EqualTo(actions));
    }

    internal static async Task<List<JsonElement>> ReadAllAsync(HttpClient client)
    {
        var events = new List<JsonElement>();
        string? cursor = null;
        while (true)
        {
            var page = await ReadPageAsync(client, cursor);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == 0)
            {
                return events;
            }

            events.AddRange(items);
            cursor = page.GetProperty("next").GetString();
        }
    }

    private static async Task<JsonElement> ReadPageAsync(HttpClient client, string? after)
    {
        var response = await client.GetAsync(after is null ? "/api/v1/changes" : $"/api/v1/changes?after={after}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task WaitUntilWaitingForALockAsync()
    {
        await using var observer = await OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            if (await observer.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database())"))
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("T1 never waited for T2's lock.");
    }
}
