using System.Globalization;
using System.Threading.RateLimiting;
using Ear.Api.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Ear.Api.Platform;

/// <summary>
/// Each API key gets Ear:RateLimit:PermitsPerMinute requests a minute (default 1200), whichever
/// address it calls from; past that, 429 problem+json with Retry-After. Requests without a valid key
/// are refused by authentication before they can cost anything.
/// </summary>
internal static class RateLimiting
{
    public static void AddEarRateLimiting(this WebApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("Ear:RateLimit:PermitsPerMinute", 1200);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirst(Caller.KeyIdClaim)?.Value is { } keyId
                    ? RateLimitPartition.GetFixedWindowLimiter(keyId, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("no key"));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests for this API key.",
                        Detail = $"This key may make {permits} requests a minute. Try again in {seconds} seconds.",
                    },
                });
            };
        });
    }
}
