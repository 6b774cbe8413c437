using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Ear.Api.Platform.Health;

internal static class HealthApi
{
    public static void MapEarHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", Live).WithName("GetLiveness").WithSummary("The process is up.")
            .WithDescription("No API key, not rate limited: for probes.");
        health.MapGet("/ready", ReadyAsync).WithName("GetReadiness").WithSummary("The service can reach its database.")
            .WithDescription("No API key, not rate limited: for probes. 503 with Retry-After while the database does not answer.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<HealthStatus> Live() => TypedResults.Ok(new HealthStatus("live"));

    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> ReadyAsync(
        NpgsqlDataSource dataSource, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = 3;
            await command.ExecuteScalarAsync(cancellationToken);
            return TypedResults.Ok(new HealthStatus("ready"));
        }
        catch (Exception e) when (ErrorHandling.IsDatabaseUnavailable(e) || e is NpgsqlException)
        {
            context.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The database is unavailable.",
                detail: $"Try again in {ErrorHandling.RetryAfterSeconds} seconds.");
        }
    }

    /// <summary>The service's state.</summary>
    /// <param name="Status">live or ready.</param>
    internal sealed record HealthStatus(string Status);
}
