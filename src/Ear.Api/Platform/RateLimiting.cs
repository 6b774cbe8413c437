using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ear.Api.Platform;

/// <summary>
/// Each API key gets Ear:RateLimit:PermitsPerMinute requests a minute (default 1200), whichever address
/// it calls from and whichever instance of the service answers. Requests without a valid key (none,
/// unknown, revoked) are counted per client address, Ear:RateLimit:AnonymousPermitsPerMinute (default
/// 120), because refusing them still costs a key lookup and an audit entry. Health probes and metric
/// scrapes are not counted: a load balancer must always be able to ask.
/// Every counted answer says where its caller stands in the IETF RateLimit header fields
/// (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "key";q=1200;w=60` and
/// `RateLimit: "key";r=1187;t=42` (requests remaining, seconds until the budget is full again);
/// past the budget, 429 problem+json with Retry-After.
/// </summary>
internal static class RateLimiting
{
    public static void AddEarRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new MinuteBudgets(
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<ILogger<MinuteBudgets>>(),
            builder.Configuration.GetValue("Ear:RateLimit:PermitsPerMinute", 1200),
            builder.Configuration.GetValue("Ear:RateLimit:AnonymousPermitsPerMinute", 120)));
        builder.Services.AddHostedService<MinuteBudgetFlush>();
    }

    /// <summary>Runs after authentication, so that it knows whose budget a request draws on.</summary>
    public static void UseEarRateLimiting(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (EarTelemetry.IsProbe(context.Request.Path))
        {
            await next(context);
            return;
        }

        var budgets = context.RequestServices.GetRequiredService<MinuteBudgets>();
        var keyId = context.User.FindFirst(Caller.KeyIdClaim)?.Value;
        var (policy, limit) = keyId is null ? ("address", budgets.AnonymousPermits) : ("key", budgets.KeyPermits);
        var (allowed, remaining, resetSeconds) = budgets.Take(keyId is null ? $"address {ClientAddresses.Of(context)}" : $"key {keyId}", limit);

        // Written as the answer starts, so that they survive the exception handler clearing the response.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["RateLimit-Policy"] = $"\"{policy}\";q={limit};w=60";
            context.Response.Headers["RateLimit"] = $"\"{policy}\";r={remaining};t={resetSeconds}";
            return Task.CompletedTask;
        });
        if (allowed)
        {
            await next(context);
            return;
        }

        EarMetrics.RateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));
        context.Response.Headers.RetryAfter = resetSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = keyId is null ? "Too many requests without a valid API key from this address." : "Too many requests for this API key.",
            Detail = keyId is null
                ? $"An address may make {limit} requests a minute without a valid key. Try again in {resetSeconds} seconds."
                : $"This key may make {limit} requests a minute. Try again in {resetSeconds} seconds.",
        });
    });
}

/// <summary>
/// Fixed one-minute windows aligned on the clock's minutes, per key or address, one budget for every instance.
/// Aligned windows make the reset time a fact every answer can state and every instance agrees on, which the
/// framework's limiters, whose windows start whenever a partition is first used, cannot tell.
/// No request waits on the database (issue #15: one round trip per read): each instance decides from the total
/// it last read from rate_limit_windows (0017_several_instances.sql) plus what it admitted since, and
/// <see cref="MinuteBudgetFlush"/> adds its unflushed counts for all partitions in one statement every
/// <see cref="FlushInterval"/>, keeping the totals that statement returns.
/// Error bound (decision 0017): with one instance the count is exact. With several, each decides on a total at most
/// one interval plus one round trip old (or, for a key it has not seen this minute, on its own count until its first
/// flush), so a key may be admitted past its budget by at most what all instances together admit for it within one
/// flush interval plus one round trip, and never by more than one budget per instance. While the database does not answer,
/// the flushes fail, the counts stay local and are sent again with the next flush that succeeds: each instance then
/// counts on its own, as if alone.
/// </summary>
internal sealed class MinuteBudgets(TimeProvider time, NpgsqlDataSource dataSource, ILogger<MinuteBudgets> logger, int keyPermits, int anonymousPermits)
{
    /// <summary>How stale another instance's count may be: short enough to bound the overrun, long enough that a flush is a background cost.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _sweptMinute;
    private bool _failing;

    public int KeyPermits { get; } = keyPermits;

    public int AnonymousPermits { get; } = anonymousPermits;

    public TimeProvider Time => time;

    public (bool Allowed, int Remaining, int ResetSeconds) Take(string partition, int limit)
    {
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        var minute = seconds / 60;
        var resetSeconds = (int)(60 - seconds % 60);
        var window = _windows.GetOrAdd(partition, static (_, m) => new Window(m), minute);
        lock (window)
        {
            if (window.Minute != minute)
            {
                (window.Minute, window.Counted, window.InFlight, window.Unflushed) = (minute, 0, 0, 0);
            }

            var used = window.Counted + window.InFlight + window.Unflushed;
            if (used >= limit)
            {
                return (false, 0, resetSeconds);
            }

            window.Unflushed++;
            return (true, limit - used - 1, resetSeconds);
        }
    }

    /// <summary>
    /// Adds this instance's unflushed counts of the current minute and reads back every total it counts in, in one
    /// statement; forgets past minutes. Called by one loop only, so a window has at most one flush in flight.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var partitions = new List<string>();
        var deltas = new List<int>();
        foreach (var (partition, window) in _windows)
        {
            lock (window)
            {
                if (window.Minute < minute)
                {
                    // Counts of a past minute decide nothing any more.
                    _windows.TryRemove(new KeyValuePair<string, Window>(partition, window));
                    continue;
                }

                (window.InFlight, window.Unflushed) = (window.Unflushed, 0);
                partitions.Add(partition);
                deltas.Add(window.InFlight);
            }
        }

        if (partitions.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await SweepBeforeAsync(connection, minute, cancellationToken);
            // The partitions with nothing new are only read, so that an idle instance writes nothing; the CTE's
            // reads see the table as it was before the insert, which touches none of them.
            const string sql = """
                WITH deltas AS (
                    SELECT d.partition, d.delta FROM unnest(@partitions::text[], @deltas::integer[]) AS d (partition, delta)
                ), added AS (
                    INSERT INTO rate_limit_windows AS w (partition, minute, used)
                    SELECT deltas.partition, @minute, deltas.delta FROM deltas WHERE deltas.delta > 0
                    ON CONFLICT (partition, minute) DO UPDATE SET used = w.used + excluded.used
                    RETURNING w.partition, w.used
                )
                SELECT added.partition, added.used FROM added
                UNION ALL
                SELECT w.partition, w.used
                FROM rate_limit_windows w JOIN deltas ON deltas.partition = w.partition
                WHERE w.minute = @minute AND deltas.delta = 0
                """;
            var totals = await connection.QueryAsync<(string Partition, int Used)>(new CommandDefinition(
                sql, new { partitions = partitions.ToArray(), deltas = deltas.ToArray(), minute }, cancellationToken: cancellationToken));
            var counted = totals.ToDictionary(t => t.Partition, t => t.Used, StringComparer.Ordinal);
            Settle(partitions, minute, (partition, window) => (window.Counted, window.InFlight) =
                (counted.TryGetValue(partition, out var used) ? used : window.Counted + window.InFlight, 0));
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Rate limits are shared through the database again.");
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Sent again with the next flush; if this one did reach the table, that over-counts, which refuses early rather than late.
            Settle(partitions, minute, (_, window) => (window.Unflushed, window.InFlight) = (window.Unflushed + window.InFlight, 0));
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning("Rate limits are counted by this instance alone until the database takes its counts again ({Failure}).", e.Message);
            }
        }
    }

    private void Settle(List<string> partitions, long minute, Action<string, Window> settle)
    {
        foreach (var partition in partitions)
        {
            if (_windows.TryGetValue(partition, out var window))
            {
                lock (window)
                {
                    // A window that moved on to the next minute meanwhile starts from nothing, not from the last minute's total.
                    if (window.Minute == minute)
                    {
                        settle(partition, window);
                    }
                }
            }
        }
    }

    /// <summary>Deletes past minutes once a minute per instance, so that many addresses cannot grow the table for long.</summary>
    private async Task SweepBeforeAsync(NpgsqlConnection connection, long minute, CancellationToken cancellationToken)
    {
        if (_sweptMinute >= minute)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_limit_windows WHERE minute < @minute", new { minute }, cancellationToken: cancellationToken));
        _sweptMinute = minute;
    }

    private sealed class Window(long minute)
    {
        public long Minute { get; set; } = minute;

        /// <summary>The total every instance had counted at this instance's last flush, its own flushed requests included.</summary>
        public int Counted { get; set; }

        /// <summary>This instance's requests being added by the flush under way.</summary>
        public int InFlight { get; set; }

        /// <summary>This instance's requests admitted since, not yet sent.</summary>
        public int Unflushed { get; set; }
    }
}

/// <summary>Flushes the rate limit counts every <see cref="MinuteBudgets.FlushInterval"/>, and just after each minute begins, so that a new minute is soon shared.</summary>
internal sealed class MinuteBudgetFlush(MinuteBudgets budgets) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = budgets.Time.GetUtcNow();
            var untilNextMinute = TimeSpan.FromSeconds(60 - now.ToUnixTimeSeconds() % 60) - TimeSpan.FromMilliseconds(now.Millisecond);
            var wait = untilNextMinute > TimeSpan.Zero && untilNextMinute < MinuteBudgets.FlushInterval ? untilNextMinute : MinuteBudgets.FlushInterval;
            try
            {
                await Task.Delay(wait, budgets.Time, stoppingToken);
                await budgets.FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
