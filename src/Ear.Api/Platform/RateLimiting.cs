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
    public static void AddEarRateLimiting(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(services => new MinuteBudgets(
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<ILogger<MinuteBudgets>>(),
            builder.Configuration.GetValue("Ear:RateLimit:PermitsPerMinute", 1200),
            builder.Configuration.GetValue("Ear:RateLimit:AnonymousPermitsPerMinute", 120)));

    /// <summary>Runs after authentication, so that it knows whose budget a request draws on.</summary>
    public static void UseEarRateLimiting(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments(EarTelemetry.MetricsPath))
        {
            await next(context);
            return;
        }

        var budgets = context.RequestServices.GetRequiredService<MinuteBudgets>();
        var keyId = context.User.FindFirst(Caller.KeyIdClaim)?.Value;
        var (policy, limit) = keyId is null ? ("address", budgets.AnonymousPermits) : ("key", budgets.KeyPermits);
        var (allowed, remaining, resetSeconds) = await budgets.TakeAsync(
            keyId is null ? $"address {ClientAddresses.Of(context)}" : $"key {keyId}", limit, context.RequestAborted);

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
/// Fixed one-minute windows aligned on the clock's minutes, counted per key or address in the database's
/// rate_limit_windows (0017_shared_rate_limits.sql), so that every instance draws on the same budget.
/// Aligned windows make the reset time a fact every answer can state and every instance agrees on,
/// which the framework's limiters, whose windows start whenever a partition is first used, cannot tell.
/// A request costs one upsert on an unlogged table: no WAL, no replication, a HOT update, and the count
/// is exact (decision 0017). While the database does not answer, each instance counts on its own, so a
/// key may get one budget per instance until it answers again; requests then mostly fail with 503 anyway.
/// </summary>
internal sealed class MinuteBudgets(TimeProvider time, NpgsqlDataSource dataSource, ILogger<MinuteBudgets> logger, int keyPermits, int anonymousPermits)
{
    /// <summary>How long the database is left alone after it failed to count, so that an outage does not add a connection timeout to every request.</summary>
    private static readonly TimeSpan LocalCountingAfterFailure = TimeSpan.FromSeconds(5);

    private readonly LocalMinuteCounts _local = new();
    private long _sweptMinute;
    private long _localUntilTicks;

    public int KeyPermits { get; } = keyPermits;

    public int AnonymousPermits { get; } = anonymousPermits;

    public async ValueTask<(bool Allowed, int Remaining, int ResetSeconds)> TakeAsync(string partition, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        var minute = seconds / 60;
        var resetSeconds = (int)(60 - seconds % 60);
        if (now.UtcTicks >= Interlocked.Read(ref _localUntilTicks))
        {
            try
            {
                var used = await CountInDatabaseAsync(partition, minute, limit, cancellationToken);
                return used is { } count ? (true, limit - count, resetSeconds) : (false, 0, resetSeconds);
            }
            catch (Exception e) when (ErrorHandling.IsDatabaseUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _localUntilTicks, (now + LocalCountingAfterFailure).UtcTicks);
                logger.LogWarning("Rate limits are counted by this instance alone for {Seconds} s: the database did not answer ({Failure}).",
                    LocalCountingAfterFailure.TotalSeconds, e.Message);
            }
        }

        var (allowed, remaining) = _local.Take(partition, minute, limit);
        return (allowed, remaining, resetSeconds);
    }

    /// <summary>The requests counted so far this minute with this one, or null when the budget was already spent (nothing is then written).</summary>
    private async Task<int?> CountInDatabaseAsync(string partition, long minute, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SweepBeforeAsync(connection, minute, cancellationToken);
        const string sql = """
            INSERT INTO rate_limit_windows AS w (partition, minute, used) VALUES (@partition, @minute, 1)
            ON CONFLICT (partition, minute) DO UPDATE SET used = w.used + 1 WHERE w.used < @limit
            RETURNING used
            """;
        var used = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(sql, new { partition, minute, limit }, cancellationToken: cancellationToken));
        return used is { } count && count <= limit ? count : null;
    }

    /// <summary>Deletes past minutes once a minute per instance, so that many addresses cannot grow the table for long.</summary>
    private async Task SweepBeforeAsync(NpgsqlConnection connection, long minute, CancellationToken cancellationToken)
    {
        var swept = Interlocked.Read(ref _sweptMinute);
        if (swept >= minute || Interlocked.CompareExchange(ref _sweptMinute, minute, swept) != swept)
        {
            return;
        }

        _local.ForgetBefore(minute);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_limit_windows WHERE minute < @minute", new { minute }, cancellationToken: cancellationToken));
    }

    /// <summary>This instance's own count, for while the database does not answer.</summary>
    private sealed class LocalMinuteCounts
    {
        private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

        public (bool Allowed, int Remaining) Take(string partition, long minute, int limit)
        {
            var window = _windows.GetOrAdd(partition, static (_, m) => new Window(m), minute);
            lock (window)
            {
                if (window.Minute != minute)
                {
                    (window.Minute, window.Used) = (minute, 0);
                }

                if (window.Used >= limit)
                {
                    return (false, 0);
                }

                window.Used++;
                return (true, limit - window.Used);
            }
        }

        public void ForgetBefore(long minute)
        {
            foreach (var (partition, window) in _windows)
            {
                if (window.Minute < minute)
                {
                    _windows.TryRemove(new KeyValuePair<string, Window>(partition, window));
                }
            }
        }

        private sealed class Window(long minute)
        {
            public long Minute { get; set; } = minute;

            public int Used { get; set; }
        }
    }
}
