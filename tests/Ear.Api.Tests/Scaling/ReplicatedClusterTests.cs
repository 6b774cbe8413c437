using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Platform.Database;
using Ear.Api.Platform;
using Ear.Api.Tests.Infrastructure;
using Ear.Api.Tests.Infrastructure.Contract;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Scaling;

/// <summary>
/// The setup of issue #16, for real: a primary and a hot standby streaming from it (synchronous), two
/// service instances started together on both hosts, writes through one, heavy reads through the other
/// served by the standby, one rate limit, and the standby promoted while both instances keep working.
/// </summary>
[NonParallelizable]
public sealed class ReplicatedClusterTests
{
    private const string AdminKey = "ear_replicated-admin-key-0123456789abcdefghijkl";
    private const int AnonymousPermits = 6;

    [Test]
    public async Task Two_instances_on_a_primary_and_a_hot_standby_share_the_work_and_ride_through_a_promotion()
    {
        if (PostgresBinaries.Find() is null)
        {
            Assert.Ignore("Needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) to run a replicated cluster.");
        }

        var phases = Stopwatch.StartNew();
        await using var cluster = await ReplicatedCluster.StartAsync();
        var clusterStarted = phases.Elapsed;
        var environment = new Dictionary<string, string>
        {
            ["Ear__RateLimit__AnonymousPermitsPerMinute"] = AnonymousPermits.ToString(CultureInfo.InvariantCulture),
        };
        var started = await Task.WhenAll(
            ListeningService.StartAsync(cluster.ServiceConnectionString, AdminKey, environment),
            ListeningService.StartAsync(cluster.ServiceConnectionString, AdminKey, environment));
        var servicesStarted = phases.Elapsed;
        await TestContext.Progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Replicated cluster up in {clusterStarted.TotalSeconds:F1} s, both instances ready {(servicesStarted - clusterStarted).TotalSeconds:F1} s later."));
        await using var writer = started[0];
        await using var reader = started[1];
        using var viaWriter = Client(writer, AdminKey);
        using var viaReader = Client(reader, AdminKey);

        await MigrationsWereAppliedOnceAsync(cluster);
        await AWriteIsReadThroughTheOtherInstanceFromTheStandbyAsync(viaWriter, viaReader);
        await AMalformedPositionIsRefusedNamingTheHeaderAsync(viaReader);
        await ReadinessNamesTheRolesAsync(viaReader);
        await TheAddressBudgetIsSharedAsync(writer, reader);
        await TheServiceRidesThroughAPromotionAsync(cluster, viaWriter, viaReader);
    }

    private static async Task MigrationsWereAppliedOnceAsync(ReplicatedCluster cluster)
    {
        var scripts = typeof(Migrations).Assembly.GetManifestResourceNames().Count(n => n.StartsWith("Ear.Migrations.", StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(cluster.PrimaryConnectionString);
        var applied = (await connection.QueryAsync<string>($"SELECT scriptname FROM {Migrations.JournalTable}")).ToList();
        Assert.That(applied, Has.Count.EqualTo(scripts).And.Unique, "two instances started together applied each script once");
    }

    private static async Task AWriteIsReadThroughTheOtherInstanceFromTheStandbyAsync(HttpClient viaWriter, HttpClient viaReader)
    {
        var created = await viaWriter.PostAsJsonAsync("/api/v1/experts",
            AnExpert().Named("Joana", "Replicada").Knowing("irregular.trafficking", 3).Speaking("pt", "C2").Build(), ApiTest.Json);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var position = created.Headers.GetValues(ReadReplicas.PositionHeader).Single();

        using var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts?q=Replicada");
        search.Headers.Add(ReadReplicas.PositionHeader, position);
        var found = await viaReader.SendAsync(search);
        var page = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement;

        using var match = new HttpRequestMessage(HttpMethod.Post, "/api/v1/matching")
        {
            Content = JsonContent.Create(new
            {
                themes = new[] { new { code = "irregular", weight = 1.0 } },
                beneficiaryCountries = new[] { "PE" },
                languages = new[] { new { code = "pt", minLevel = "B2", required = true } },
                period = new { from = "2027-03-01", to = "2027-03-10" },
            }),
        };
        match.Headers.Add(ReadReplicas.PositionHeader, position);
        var matched = await viaReader.SendAsync(match);
        var candidates = JsonDocument.Parse(await matched.Content.ReadAsStringAsync()).RootElement.GetProperty("candidates")
            .EnumerateArray().Select(c => c.GetProperty("expertId").GetGuid());

        Assert.Multiple(() =>
        {
            Assert.That(position, Does.Match("^[0-9A-F]+/[0-9A-F]+$"), "a write answers the primary's WAL position");
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()), Does.Contain(id),
                "the search carrying the position sees the write made through the other instance");
            Assert.That(found.Headers.GetValues(ReadReplicas.ServedByHeader).Single(), Is.EqualTo("standby"),
                "the search was served by the standby (pg_is_in_recovery() on its connection)");
            Assert.That(matched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(candidates, Does.Contain(id), "the other instance's roster, read from the standby, caught up with the write");
        });
    }

    private static async Task AMalformedPositionIsRefusedNamingTheHeaderAsync(HttpClient viaReader)
    {
        foreach (var malformed in new[] { "0/3000148; DROP TABLE experts", "G/1", "0/" + new string('F', 4000) })
        {
            using var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts?q=Replicada");
            search.Headers.TryAddWithoutValidation(ReadReplicas.PositionHeader, malformed);
            var refused = await viaReader.SendAsync(search);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), malformed);
                Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(problem.GetProperty("errors").TryGetProperty(ReadReplicas.PositionHeader, out _), Is.True, "the problem names the header");
            });
        }
    }

    private static async Task ReadinessNamesTheRolesAsync(HttpClient viaReader)
    {
        var ready = JsonDocument.Parse(await (await viaReader.GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(ready.GetProperty("writes").GetString(), Is.EqualTo("primary"));
            Assert.That(ready.GetProperty("reads").GetString(), Is.EqualTo("standby"));
            Assert.That(ready.GetProperty("roster").GetString(), Does.StartWith("loaded"));
        });
    }

    private static async Task TheAddressBudgetIsSharedAsync(ListeningService first, ListeningService second)
    {
        await RateLimitWindows.WaitForRoomInTheMinuteAsync();
        using var anonymousFirst = Client(first, null);
        using var anonymousSecond = Client(second, null);
        var throughFirst = new List<HttpStatusCode>();
        for (var i = 0; i < AnonymousPermits + 1; i++)
        {
            throughFirst.Add((await anonymousFirst.GetAsync("/api/v1/themes")).StatusCode);
        }

        // The second instance learns the first's count at the next flushes (decision 0017's bound); counting alone
        // it would answer 401 to every one of these, fewer than the budget.
        var secondRefused = false;
        for (var attempt = 0; attempt < AnonymousPermits - 1 && !secondRefused; attempt++)
        {
            secondRefused = (await anonymousSecond.GetAsync("/api/v1/themes")).StatusCode == HttpStatusCode.TooManyRequests;
            await Task.Delay(MinuteBudgets.FlushInterval * 3);
        }

        Assert.Multiple(() =>
        {
            Assert.That(throughFirst.Take(AnonymousPermits), Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(throughFirst.Last(), Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(secondRefused, Is.True, "one budget for the address across both instances, once a flush has passed");
        });
    }

    /// <summary>
    /// Writes through one instance and reads through the other without pause while the primary dies and,
    /// a second later, the standby is promoted: every read answers, writes come back by themselves, and
    /// every acknowledged write is there afterwards.
    /// </summary>
    private static async Task TheServiceRidesThroughAPromotionAsync(ReplicatedCluster cluster, HttpClient viaWriter, HttpClient viaReader)
    {
        var acknowledged = new ConcurrentBag<Guid>();
        var writes = new ConcurrentQueue<(TimeSpan Sent, TimeSpan At, HttpStatusCode Status)>();
        var reads = new ConcurrentQueue<(TimeSpan At, HttpStatusCode Status)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = clock.Elapsed;
                var response = await viaWriter.PostAsJsonAsync("/api/v1/experts", AnExpert().Build(), ApiTest.Json);
                writes.Enqueue((sent, clock.Elapsed, response.StatusCode));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
                }

                await Task.Delay(20);
            }
        });
        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                reads.Enqueue((clock.Elapsed, (await viaReader.GetAsync("/api/v1/experts?limit=5")).StatusCode));
                await Task.Delay(20);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.StopPrimaryAsync();
        var stoppedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.PromoteStandbyAsync();
        var promotedAt = clock.Elapsed;

        // Until writes have answered again for a while (or give up: the assertions below then say why).
        while (clock.Elapsed - promotedAt < TimeSpan.FromSeconds(30)
               && writes.Count(w => w.Sent > promotedAt && w.Status == HttpStatusCode.Created) < 5)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writing, reading);

        // A write sent once the primary was down can only have been acknowledged by the promoted standby.
        var firstAfter = writes.Where(w => w.Sent > stoppedAt && w.Status == HttpStatusCode.Created).Select(w => w.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        await using var newPrimary = new NpgsqlConnection(cluster.StandbyConnectionString);
        var stored = (await newPrimary.QueryAsync<Guid>("SELECT id FROM experts WHERE id = ANY(@ids)", new { ids = acknowledged.ToArray() })).ToHashSet();
        var lost = acknowledged.Count(id => !stored.Contains(id));
        var failedReads = reads.Where(r => r.Status != HttpStatusCode.OK).ToList();
        await TestContext.Progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Failover: primary stopped at {stoppedAt.TotalSeconds:F1} s, standby promoted at {promotedAt.TotalSeconds:F1} s; " +
            $"writes accepted again {(firstAfter - stoppedAt).TotalSeconds:F1} s after the primary stopped, {(firstAfter - promotedAt).TotalSeconds:F1} s after the promotion; " +
            $"{writes.Count} writes tried, {acknowledged.Count} acknowledged, {lost} lost; {reads.Count} reads, {failedReads.Count} failed."));

        Assert.Multiple(() =>
        {
            Assert.That(firstAfter, Is.LessThan(TimeSpan.MaxValue), "writes were accepted again after the promotion, without a restart");
            Assert.That(lost, Is.Zero, "every acknowledged write survived the failover");
            Assert.That(failedReads.Select(r => $"{r.At.TotalSeconds:F1} s: {r.Status}"), Is.Empty, "reads answered throughout");
            Assert.That(writes.Where(w => w.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).Select(w => w.Status), Is.Empty,
                "a write that could not be made was refused with 503 (and Retry-After), nothing worse");
        });
    }

    private static HttpClient Client(ListeningService service, string? key)
    {
        var client = new HttpClient(new ContractValidatingHandler { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = service.Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }
}
