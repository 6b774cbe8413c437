using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ear.Api.Platform.Telemetry;

/// <summary>
/// OpenTelemetry metrics (ASP.NET Core, outgoing HTTP, Npgsql, EAR's own) served to Prometheus at
/// /metrics, and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, traces and metrics exported over OTLP
/// (decision 0019). Traces are only collected when they go somewhere: an unexported span is pure cost.
/// </summary>
internal static class EarTelemetry
{
    public const string MetricsPath = "/metrics";

    public static void AddEarTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ear-api"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(EarMetrics.MeterName)
                .AddPrometheusExporter());
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>
    /// The Prometheus scrape endpoint: no API key and no rate limit, like the health probes. With
    /// Ear:Telemetry:MetricsPort set (the port must also be one ASPNETCORE_URLS listens on), it answers
    /// on that port only, so that the public port need not expose it.
    /// </summary>
    public static void MapEarMetrics(this WebApplication app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().ExcludeFromDescription();
        if (app.Configuration.GetValue<int?>("Ear:Telemetry:MetricsPort") is { } port)
        {
            scrape.RequireHost($"*:{port}");
        }
    }

    /// <summary>Probes and scrapes: not traced, not rate limited.</summary>
    public static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
