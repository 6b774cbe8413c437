using System.Globalization;
using System.Threading.RateLimiting;
using Ear.Api.Auth;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Ear.Api.Platform;

/// <summary>
/// Each API key gets Ear:RateLimit:PermitsPerMinute requests a minute (default 1200), whichever address
/// it calls from. Requests without a valid key (none, unknown, revoked) are counted per client address,
/// Ear:RateLimit:AnonymousPermitsPerMinute (default 120), because refusing them still costs a key lookup,
/// a log line and an audit entry. Past either budget: 429 problem+json with Retry-After. Health probes
/// are not counted: a load balancer must always be able to ask.
/// </summary>
internal static class RateLimiting
{
    public static void AddEarRateLimiting(this WebApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("Ear:RateLimit:PermitsPerMinute", 1200);
        var anonymousPermits = builder.Configuration.GetValue("Ear:RateLimit:AnonymousPermitsPerMinute", 120);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirst(Caller.KeyIdClaim)?.Value is { } keyId ? PerMinute($"key {keyId}", permits)
                : context.Request.Path.StartsWithSegments("/health") ? RateLimitPartition.GetNoLimiter("health")
                : PerMinute($"address {ClientAddresses.Of(context)}", anonymousPermits));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                var withKey = http.User.Identity?.IsAuthenticated == true;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = withKey ? "Too many requests for this API key." : "Too many requests without a valid API key from this address.",
                        Detail = withKey
                            ? $"This key may make {permits} requests a minute. Try again in {seconds} seconds."
                            : $"An address may make {anonymousPermits} requests a minute without a valid key. Try again in {seconds} seconds.",
                    },
                });
            };
        });
    }

    private static RateLimitPartition<string> PerMinute(string partition, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
