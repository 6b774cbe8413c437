using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Ear.Api.Tests.CvDocuments;
using Ear.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Ear.Api.Tests.Scaling;

/// <summary>/metrics answers without a key with request, Npgsql and matching metrics; the access log has one line per request and no secret.</summary>
[NonParallelizable]
public sealed class TelemetryTests
{
    private const string AdminKey = "ear_telemetry-admin-key-0123456789abcdefghijklm";

    [Test]
    public async Task Metrics_are_scraped_without_a_key_and_every_request_gets_one_access_log_line()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        var logs = new ConcurrentQueue<(string Category, string Message)>();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
            {
                ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
                ["Logging:LogLevel:Default"] = "Information",
            },
            host => host.ConfigureLogging(logging => logging.AddProvider(new CapturingProvider(logs))));
        var admin = factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var anonymous = factory.CreateValidatedClient();
        var missing = Guid.NewGuid();

        var statuses = new[]
        {
            (await admin.GetAsync("/api/v1/themes")).StatusCode,
            (await admin.GetAsync($"/api/v1/experts/{missing}")).StatusCode,
            (await admin.PostAsJsonAsync("/api/v1/matching", new
            {
                themes = new[] { new { code = "irregular", weight = 1.0 } },
                beneficiaryCountries = new[] { "PE" },
                languages = new[] { new { code = "es", minLevel = "B2", required = true } },
                period = new { from = "2027-03-01", to = "2027-03-10" },
            })).StatusCode,
            // Refused while its body is read: the exception handler answers, and the line still names the route.
            (await admin.PostAsJsonAsync("/api/v1/matching", new { beneficiaryCountry = "PE" })).StatusCode,
        };
        var scrape = await anonymous.GetAsync("/metrics");
        var metrics = await scrape.Content.ReadAsStringAsync();
        var accessLines = logs.Where(l => l.Category == "Ear.Access").Select(l => l.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.BadRequest }));
            Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no API key needed");
            Assert.That(metrics, Does.Contain("http_server_request_duration_seconds"), "ASP.NET Core's request metrics");
            Assert.That(metrics, Does.Contain("db_client_"), "Npgsql's metrics");
            Assert.That(metrics, Does.Contain("ear_matching_duration_seconds"), "EAR's matching duration");
            Assert.That(metrics, Does.Contain("ear_matching_candidates_scored"), "EAR's candidates scored");
            Assert.That(accessLines.Take(4), Is.EqualTo(new[]
            {
                "GET /api/v1/themes 200",
                "GET /api/v1/experts/{id:guid} 404",
                "POST /api/v1/matching 200",
                "POST /api/v1/matching 400",
            }).Using<string, string>((line, expected) => line.StartsWith(expected + " ", StringComparison.Ordinal)), string.Join("\n", accessLines));
            Assert.That(accessLines, Has.Count.EqualTo(5), "one line per request, the scrape included");
            Assert.That(accessLines, Has.None.Contains(AdminKey).And.None.Contains(missing.ToString()), "never the secret, never the path's values");
            Assert.That(accessLines.Take(4), Has.All.Match("key [0-9a-f-]{36}$"), "the key's id");
        });
    }

    [Test]
    public async Task Metrics_count_cv_refusals_by_a_reason_code_and_time_the_roster_catch_up()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey });
        var admin = factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var matching = new
        {
            themes = new[] { new { code = "irregular", weight = 1.0 } },
            beneficiaryCountries = new[] { "PE" },
            languages = new[] { new { code = "es", minLevel = "B2", required = true } },
            period = new { from = "2027-03-01", to = "2027-03-10" },
        };
        var macro = HostileFiles.All().Single(f => f.FileName == "macro.docx");

        var loaded = await admin.PostAsJsonAsync("/api/v1/matching", matching);
        var expert = await ExpertBuilder.AnExpert().CreateAsync(admin);
        var caughtUp = await admin.PostAsJsonAsync("/api/v1/matching", matching);
        var refused = await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(macro.Make(), macro.FileName, "application/octet-stream"));
        var metrics = await (await factory.CreateValidatedClient().GetAsync("/metrics")).Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(new[] { loaded.StatusCode, caughtUp.StatusCode }, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(metrics, Does.Match(@"ear_cv_uploads_total\{[^}]*outcome=""active_content""[^}]*\} [1-9]"), "the refusal, by its reason code");
            Assert.That(metrics, Does.Not.Contain("vbaProject"), "never the problem's free text");
            Assert.That(metrics, Does.Not.Match(@"ear_cv_uploads_total\{[^}]*outcome=""(?!(stored|unchanged|not_multipart|malformed|too_large|unsupported_type|active_content|unreadable|budget_exceeded)"")"),
                "only the fixed reason codes, each upload counted once (not again by status code)");
            Assert.That(metrics, Does.Match(@"ear_roster_catch_up_lag_seconds_count\{[^}]*\} [1-9]"), "the catch-up that read the new expert, timed");
        });
    }

    [Test]
    public async Task With_a_metrics_port_metrics_answer_on_that_port_only()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["Ear:Telemetry:MetricsPort"] = "9464",
        });
        var anonymous = factory.CreateValidatedClient();

        // The in-memory server routes by the Host header, which carries the port a real listener was reached on.
        var onTheApiPort = await anonymous.GetAsync("http://localhost/metrics");
        var onTheMetricsPort = await anonymous.GetAsync("http://localhost:9464/metrics");

        Assert.Multiple(async () =>
        {
            Assert.That(onTheApiPort.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an unknown path on the API port, so a key is asked for");
            Assert.That(onTheMetricsPort.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await onTheMetricsPort.Content.ReadAsStringAsync(), Does.Contain("http_server_request_duration_seconds"));
        });
    }

    private sealed class CapturingProvider(ConcurrentQueue<(string, string)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }
}
