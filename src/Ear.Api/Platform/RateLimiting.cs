using System.Collections.Concurrent;
using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Platform;

/// <summary>
/// Each API key gets Ear:RateLimit:PermitsPerMinute requests a minute (default 1200), whichever address
/// it calls from. Requests without a valid key (none, unknown, revoked) are counted per client address,
/// Ear:RateLimit:AnonymousPermitsPerMinute (default 120), because refusing them still costs a key lookup
/// and an audit entry. Health probes are not counted: a load balancer must always be able to ask.
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
            builder.Configuration.GetValue("Ear:RateLimit:PermitsPerMinute", 1200),
            builder.Configuration.GetValue("Ear:RateLimit:AnonymousPermitsPerMinute", 120)));

    /// <summary>Runs after authentication, so that it knows whose budget a request draws on.</summary>
    public static void UseEarRateLimiting(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/health"))
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
/// Fixed one-minute windows aligned on the clock's minutes, counted per key or address. Aligned windows
/// make the reset time a fact every answer can state (and every instance would agree on), which the
/// framework's limiters, whose windows start whenever a partition is first used, cannot tell.
/// </summary>
internal sealed class MinuteBudgets(TimeProvider time, int keyPermits, int anonymousPermits)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _sweptMinute;

    public int KeyPermits { get; } = keyPermits;

    public int AnonymousPermits { get; } = anonymousPermits;

    public (bool Allowed, int Remaining, int ResetSeconds) Take(string partition, int limit)
    {
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();
        var minute = seconds / 60;
        var resetSeconds = (int)(60 - seconds % 60);
        SweepBefore(minute);

        var window = _windows.GetOrAdd(partition, static (_, m) => new Window(m), minute);
        lock (window)
        {
            if (window.Minute != minute)
            {
                (window.Minute, window.Used) = (minute, 0);
            }

            if (window.Used >= limit)
            {
                return (false, 0, resetSeconds);
            }

            window.Used++;
            return (true, limit - window.Used, resetSeconds);
        }
    }

    /// <summary>Forgets the partitions of past minutes once a minute, so that many addresses cannot grow the table for long.</summary>
    private void SweepBefore(long minute)
    {
        var swept = Interlocked.Read(ref _sweptMinute);
        if (swept >= minute || Interlocked.CompareExchange(ref _sweptMinute, minute, swept) != swept)
        {
            return;
        }

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
