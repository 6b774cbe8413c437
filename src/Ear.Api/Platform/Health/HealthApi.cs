using System.Globalization;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using CheckStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace Ear.Api.Platform.Health;

/// <summary>
/// Liveness and readiness for probes and load balancers. Readiness runs the checks registered with
/// ASP.NET Core's health-check framework under the <see cref="ReadyTag"/> tag (the database and the role
/// of what each data source reached, the matching roster loaded), and answers through a documented
/// endpoint so that the contract describes it like every other.
/// </summary>
internal static class HealthApi
{
    public const string ReadyTag = "ready";

    public static void AddEarHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

    public static void MapEarHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", Live).WithName("GetLiveness").WithSummary("The process is up.")
            .WithDescription("No API key, not rate limited: for probes.");
        health.MapGet("/ready", ReadyAsync).WithName("GetReadiness").WithSummary("The service can reach its database and has loaded its matching roster.")
            .WithDescription("No API key, not rate limited: for probes. Names the role of the server writes go to and of the one heavy reads go to " +
                "(primary or standby). 503 with Retry-After while the database does not answer or the matching roster is still loading.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<HealthStatus> Live() => TypedResults.Ok(new HealthStatus("live", null, null, null));

    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> ReadyAsync(
        HealthCheckService checks, HttpContext context, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        string? Fact(string check, string key) =>
            report.Entries.TryGetValue(check, out var entry) && entry.Data.TryGetValue(key, out var value) ? value as string : null;

        if (report.Status == CheckStatus.Unhealthy)
        {
            var failing = report.Entries.Where(e => e.Value.Status == CheckStatus.Unhealthy).Select(e => e.Value.Description ?? e.Key);
            context.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The service is not ready.",
                detail: $"{string.Join(" ", failing)} Try again in {ErrorHandling.RetryAfterSeconds} seconds.");
        }

        return TypedResults.Ok(new HealthStatus("ready", Fact("database", "writes"), Fact("database", "reads"), Fact("roster", "roster")));
    }

    /// <summary>The service's state.</summary>
    /// <param name="Status">live or ready.</param>
    /// <param name="Writes">Readiness: the role of the server writes go to: primary, or unavailable while no primary answers (a failover under way; reads go on from a standby, writes answer 503).</param>
    /// <param name="Reads">Readiness: the role of the server heavy reads (search, CSV export, matching roster, reports) go to: standby when one answers, else primary.</param>
    /// <param name="Roster">Readiness: loaded, with the number of experts in this instance's matching roster.</param>
    internal sealed record HealthStatus(
        string Status,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Writes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reads,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Roster);
}
