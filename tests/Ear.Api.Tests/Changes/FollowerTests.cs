using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Tests.Infrastructure;
using Ear.Api.Tests.Infrastructure.Contract;
using Ear.Api.Tests.Webhooks;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Changes;

/// <summary>
/// Issue #18's follower: the service as a real process, a webhook receiver (Kestrel in this process) and a feed
/// follower (long-polling with the cursor), a burst of concurrent writes with rollbacks and an erasure, and the
/// service killed with SIGKILL in the middle and started again. What committed is read from the database; both
/// followers must have it all, once after de-duplication by event id, in commit order per resource.
/// </summary>
public sealed class FollowerTests
{
    private const string AdminKey = "ear_follower-admin-key-0123456789abcdefghijklmnopqrstu";
    private const int Writers = 6;
    private const int RoundsPerWriter = 8;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Ear__Webhooks__AllowPrivateNetworks"] = "true",
        ["Ear__Webhooks__MaxAttempts"] = "1000",
        ["Ear__Webhooks__FirstRetryDelayMilliseconds"] = "50",
        ["Ear__Webhooks__MaxRetryDelaySeconds"] = "1",
        ["Ear__RateLimit__PermitsPerMinute"] = "1000000",
    };

    private volatile ListeningService? _service;

    [Test]
    public async Task Every_committed_change_reaches_the_webhook_and_the_feed_follower_once_in_order_across_a_kill_and_restart()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // Slow enough that the kill most likely lands while a delivery is in flight, which must then be sent again.
        receiver.AnswerDelay = TimeSpan.FromMilliseconds(20);
        _service = await ListeningService.StartAsync(database.ConnectionString, AdminKey, Settings);
        try
        {
            var subscribe = await Client().PostAsJsonAsync("/api/v1/webhooks/subscriptions",
                new { url = receiver.Url.ToString(), eventTypes = ChangeTypeNames() }, ApiTest.Json);
            var created = JsonDocument.Parse(await subscribe.Content.ReadAsStringAsync()).RootElement;
            Assert.That(subscribe.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToString());
            receiver.Secret = created.GetProperty("secret").GetString();

            using var stopFollowing = new CancellationTokenSource();
            var followed = new List<JsonElement>();
            var follower = FollowAsync(followed, stopFollowing.Token);

            var acknowledged = new ConcurrentBag<Guid>();
            var rolledBack = new ConcurrentBag<Guid>();
            var progress = 0;
            var writers = Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => WriteAsync(w, database.ConnectionString, acknowledged, rolledBack, () => Interlocked.Increment(ref progress))))
                .ToList();

            while (Volatile.Read(ref progress) < Writers * RoundsPerWriter / 2 && !writers.Any(w => w.IsFaulted))
            {
                await Task.Delay(20);
            }

            Assert.That(writers.Where(w => w.IsFaulted).Select(w => w.Exception!.ToString()), Is.Empty, "a writer failed before the kill");

            var killed = _service;
            _service = null;
            await killed.KillAsync();
            await killed.DisposeAsync();
            _service = await ListeningService.StartAsync(database.ConnectionString, AdminKey, Settings);
            await Task.WhenAll(writers);

            var committed = await CommittedAsync(database.ConnectionString);
            await WebhookTests.Eventually(
                () => Task.FromResult(committed.All(c => receiver.Received.Any(r => r.Id == c.Id))), "the receiver to have every committed event");
            await WebhookTests.Eventually(() => Task.FromResult(Snapshot(followed).Count >= committed.Count), "the feed follower to catch up");
            await stopFollowing.CancelAsync();
            await follower;

            var received = receiver.Received;
            var firstArrivals = received.GroupBy(r => r.Id).Select(g => g.First()).ToList();
            var feed = Snapshot(followed);
            Assert.Multiple(() =>
            {
                Assert.That(committed.Select(c => c.Id).Except(firstArrivals.Select(r => r.Id)), Is.Empty, "missed by the webhook");
                Assert.That(firstArrivals.Select(r => r.Id).Except(committed.Select(c => c.Id)), Is.Empty, "sent but never committed");
                Assert.That(received.GroupBy(r => r.Id).Where(g => g.Select(r => r.Body.ToString()).Distinct().Count() > 1).Select(g => g.Key),
                    Is.Empty, "a re-delivery differs from the first");
                Assert.That(received.Select(r => r.SignatureValid), Is.All.True, "signatures");
                Assert.That(OutOfOrder(committed, firstArrivals.Select(r => (r.Id, r.Body.GetProperty("resourceId").GetString()!)).ToList()),
                    Is.Empty, "webhook order per resource");
                Assert.That(feed.Select(e => e.GetProperty("id").GetString()), Is.EqualTo(committed.Select(c => c.Id)), "the feed follower's sequence");
                Assert.That(acknowledged.Where(id => !committed.Any(c => c.ResourceId == id.ToString())), Is.Empty, "acknowledged writes without an event");
                Assert.That(rolledBack.Where(id => committed.Any(c => c.ResourceId == id.ToString())), Is.Empty, "rolled-back writes with an event");
                Assert.That(committed.Select(c => c.Type), Does.Contain("expert.erased").And.Contain("expert.updated").And.Contain("action.status_changed"));
            });
            TestContext.Progress.WriteLine($"Follower: {committed.Count} committed events, {received.Count} deliveries ({received.Count - firstArrivals.Count} repeated), {rolledBack.Count} rolled back.");
        }
        finally
        {
            if (_service is { } service)
            {
                await service.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One writer's rounds: an expert created, updated and (every third round) erased; an action created and moved on;
    /// a duplicate e-mail refused; and a transaction that writes an expert and an action and rolls back.
    /// Requests that fail because the service is down are simply not acknowledged.
    /// </summary>
    private async Task WriteAsync(int writer, string connectionString, ConcurrentBag<Guid> acknowledged, ConcurrentBag<Guid> rolledBack, Action roundDone)
    {
        for (var round = 0; round < RoundsPerWriter; round++)
        {
            try
            {
                var client = await CurrentClientAsync();
                var expert = AnExpert().Of("eu_civil_servant", "FR", writer % 2 == 0 ? "FR" : "DE").With("memberState", writer % 2 == 0 ? "FR" : "DE");
                var createdExpert = await client.PostAsJsonAsync("/api/v1/experts", expert.Build(), ApiTest.Json);
                if (createdExpert.StatusCode == HttpStatusCode.Created)
                {
                    var id = JsonDocument.Parse(await createdExpert.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
                    acknowledged.Add(id);
                    await client.PostAsJsonAsync("/api/v1/experts", AnExpert().WithEmail((string)expert.Build()["email"]!).Build(), ApiTest.Json);
                    var current = await client.GetAsync($"/api/v1/experts/{id}");
                    var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(expert.With("employer", $"Round {round}").Build(), options: ApiTest.Json) };
                    update.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag?.ToString());
                    await client.SendAsync(update);
                    if (round % 3 == 2)
                    {
                        await client.DeleteAsync($"/api/v1/experts/{id}");
                    }
                }

                var action = await client.PostAsJsonAsync("/api/v1/actions", AnAction().Build(), ApiTest.Json);
                if (action.StatusCode == HttpStatusCode.Created)
                {
                    var id = JsonDocument.Parse(await action.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
                    acknowledged.Add(id);
                    await client.PostAsJsonAsync($"/api/v1/actions/{id}/status", new { to = "in_preparation" }, ApiTest.Json);
                }

                rolledBack.Add(await RollBackAsync(connectionString));
            }
            catch (HttpRequestException)
            {
                // The service is down (killed): this round's remaining writes are not acknowledged.
            }

            roundDone();
        }
    }

    /// <summary>Writes an expert and an action in one transaction, then rolls it back: their events must never be seen.</summary>
    private static async Task<Guid> RollBackAsync(string connectionString)
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO actions (id, code, title, beneficiary_countries, status, created_at, updated_at)
            VALUES (@id, 'RB-' || upper(substr(md5(@id::text), 1, 8)), 'Rolled back', '{MA}', 'requested', now(), now());
            UPDATE actions SET status = 'in_preparation', version = version + 1 WHERE id = @id;
            """, new { id }, transaction);
        await transaction.RollbackAsync();
        return id;
    }

    /// <summary>Reads the feed with its cursor, long-polling, across the kill: a failed request is simply made again.</summary>
    private async Task FollowAsync(List<JsonElement> followed, CancellationToken cancellationToken)
    {
        string? cursor = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var client = await CurrentClientAsync();
                var page = JsonDocument.Parse(await client.GetStringAsync(
                    $"/api/v1/changes?limit=50&wait=2s{(cursor is null ? "" : $"&after={cursor}")}", cancellationToken)).RootElement.Clone();
                lock (followed)
                {
                    followed.AddRange(page.GetProperty("items").EnumerateArray());
                }

                cursor = page.GetProperty("next").GetString();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed record Committed(string Id, string Type, string ResourceId);

    /// <summary>The truth: every event that committed, in commit order, read from the database.</summary>
    private static async Task<List<Committed>> CommittedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<(Guid Id, string Type, Guid ResourceId)>("""
            SELECT e.id, e.type, e.resource_id FROM change_commits c JOIN change_events e ON e.xid = c.xid ORDER BY c.position, e.seq
            """)).Select(r => new Committed(r.Id.ToString(), r.Type, r.ResourceId.ToString())).ToList();
    }

    /// <summary>Events whose resource's events arrived in another order than they committed.</summary>
    private static List<string> OutOfOrder(List<Committed> committed, List<(string Id, string ResourceId)> arrivals)
    {
        var position = committed.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
        return arrivals.GroupBy(a => a.ResourceId)
            .Where(g => !g.Select(a => position.GetValueOrDefault(a.Id, -1)).SequenceEqual(g.Select(a => position.GetValueOrDefault(a.Id, -1)).Order()))
            .Select(g => g.Key).ToList();
    }

    private static List<JsonElement> Snapshot(List<JsonElement> followed)
    {
        lock (followed)
        {
            return [.. followed];
        }
    }

    private static string[] ChangeTypeNames() =>
    [
        "expert.created", "expert.updated", "expert.erased", "consent.changed", "cv_version.added", "action.created", "action.updated",
        "action.status_changed", "activity.added", "deployment.created", "deployment.cancelled", "deployment.evaluated", "matching_run.stored",
    ];

    private HttpClient Client() => ClientOf(_service ?? throw new InvalidOperationException("The service is down."));

    /// <summary>The running service's client; while it is down (killed, restarting), waits for the new one.</summary>
    private async Task<HttpClient> CurrentClientAsync()
    {
        while (true)
        {
            if (_service is { } service)
            {
                return ClientOf(service);
            }

            await Task.Delay(50);
        }
    }

    private static HttpClient ClientOf(ListeningService service)
    {
        var client = new HttpClient(new ContractValidatingHandler { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, AdminKey);
        return client;
    }
}
