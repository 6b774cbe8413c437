using System.Diagnostics;
using Ear.Api.Auth;

namespace Ear.Api.Platform.Telemetry;

/// <summary>
/// One log line per request, at its end: method, route template (never the path, which may hold an id or
/// an e-mail search), status, duration and the API key's id (never its secret). The same hook feeds the
/// EAR metrics that are facts of a request rather than of the engine: matching and report durations
/// (CV upload outcomes are counted by the upload itself, which knows the refusal's reason).
/// </summary>
internal static partial class AccessLog
{
    public static void UseEarAccessLog(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Access");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            // Routing has run by now; the exception handler clears the endpoint before it writes its problem,
            // so a request that failed would otherwise be logged without its route.
            var endpoint = context.GetEndpoint();
            try
            {
                await next(context);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                endpoint ??= context.GetEndpoint();
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
                Request(logger, context.Request.Method, route, status, elapsed.TotalMilliseconds, context.User.FindFirst(Caller.KeyIdClaim)?.Value ?? "-");
                RecordEarMetrics(endpoint, context, status, elapsed);
            }
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs:0.0} ms key {KeyId}")]
    private static partial void Request(ILogger logger, string method, string route, int status, double durationMs, string keyId);

    /// <summary>Recognises the operations by their operationId, which is stable once published (unlike a route template's constraints).</summary>
    private static void RecordEarMetrics(Endpoint? endpoint, HttpContext context, int status, TimeSpan elapsed)
    {
        var operation = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        switch (operation)
        {
            case "MatchExperts" or "MatchExpertsForAction" when status == StatusCodes.Status200OK:
                EarMetrics.MatchingDuration.Record(elapsed.TotalSeconds);
                break;
            case "GetSummaryReport" or "GetSummaryReportCsv" or "GetMemberStateReport" or "GetMemberStateReportCsv" when status == StatusCodes.Status200OK:
                var csv = operation.EndsWith("Csv", StringComparison.Ordinal)
                    || context.Response.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
                EarMetrics.ReportDuration.Record(elapsed.TotalSeconds,
                    new KeyValuePair<string, object?>("report", operation.StartsWith("GetSummary", StringComparison.Ordinal) ? "summary" : "member_states"),
                    new KeyValuePair<string, object?>("format", csv ? "csv" : "json"));
                break;
        }
    }
}
