using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Ear.Api.Platform.Http;
using Npgsql;

namespace Ear.Api.Platform.Errors;

internal static class ErrorHandling
{
    /// <summary>How long a client should wait before trying again while the database is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public static void AddEarErrors(this WebApplicationBuilder builder)
    {
        // Registered before AddProblemDetails adds ASP.NET Core's writer, so it is the one asked first.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<EarExceptionHandler>();

        // Outside Development, minimal APIs answer an unreadable body with a bare 400; throwing instead
        // lets EarExceptionHandler name the failing field in every environment.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
    }

    public static void UseEarErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }

    public static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow } => true,
        // No host, or no primary among the hosts, answers (a failover under way, ReadReplicas): Npgsql's own
        // connection-level failures, as opposed to the server's answers.
        NpgsqlException and not PostgresException when exception.Message.Contains("suitable host", StringComparison.OrdinalIgnoreCase) => true,
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => true,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };

    /// <summary>
    /// The one place unexpected exceptions become answers: bad request bodies name the failing field,
    /// an unreachable database is a 503 with Retry-After, anything else a 500 without internals.
    /// </summary>
    private sealed class EarExceptionHandler(IProblemDetailsService problemDetails, ILogger<EarExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            ProblemDetails problem;
            switch (exception)
            {
                case BadHttpRequestException { InnerException: JsonException json }:
                    var field = FieldName(json.Path);
                    problem = new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [JsonProblem(field, json)] })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request body is not valid JSON for this endpoint.",
                    };
                    break;
                case BadHttpRequestException bad:
                    // A missing or unreadable body is the client's mistake, not ours: worth a line, not a stack trace.
                    logger.LogInformation("Refused an unreadable request to {Path}: {Reason}", LogText.Path(httpContext.Request.Path), bad.Message);
                    problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message };
                    break;
                case PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter }:
                    // Only reachable by a text value no field check saw (RequestGuards refuses NUL in the URL).
                    problem = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request holds a character that cannot be stored.",
                        Detail = "Text may not contain NUL (U+0000) characters.",
                    };
                    break;
                case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                    // The client went away; nobody is listening for an answer.
                    return true;
                case var _ when IsDatabaseUnavailable(exception):
                    logger.LogWarning(exception, "The database is unavailable.");
                    httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    problem = new ProblemDetails
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Title = "The database is unavailable.",
                        Detail = $"Try again in {RetryAfterSeconds} seconds.",
                    };
                    break;
                default:
                    return false;
            }

            httpContext.Response.StatusCode = problem.Status!.Value;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = problem,
                Exception = exception,
            });
        }

        private static string JsonProblem(string field, JsonException json) => json switch
        {
            _ when field == "body" && json.Message.Contains("could not be mapped", StringComparison.Ordinal) => "The body must be a JSON object.",
            _ when field == "body" => "The body is not well-formed JSON.",
            StrictJson.InvalidValueException invalid => invalid.Expected,
            _ when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => "Unknown property: the contract does not allow it here (see the OpenAPI document).",
            _ when json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) => "This property is given more than once.",
            _ => $"The value at {json.Path} does not have the expected type (see the OpenAPI document).",
        };

        /// <summary>$.languages[0].level → languages[0].level, the way validation errors name fields.</summary>
        private static string FieldName(string? jsonPath) =>
            string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$').TrimStart('.');
    }
}
