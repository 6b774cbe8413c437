using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Hardening;

/// <summary>
/// The hardest case of "erasure leaves no trace": an expert whose data went everywhere it can go
/// (a CV, a search, a refused duplicate, a stored matching run, a past deployment with an evaluation
/// that names them, a deployment to come) is erased; then every row of every table, the service's logs
/// at Information and the cluster's log are searched for what identified them.
/// </summary>
[NonParallelizable]
public sealed class ErasureLeavesNoTraceTests
{
    private const string AdminKey = "ear_erasure-admin-key-0123456789abcdefghijklmno";

    [Test]
    public async Task An_expert_whose_data_went_everywhere_leaves_nothing_behind_in_the_database_the_logs_or_the_cluster_log()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        var logs = new ConcurrentQueue<string>();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
            {
                ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
                // Production's levels (appsettings.json), not the test environment's quieter ones.
                ["Logging:LogLevel:Default"] = "Information",
            },
            host => host.ConfigureLogging(logging => logging.AddProvider(new CapturingProvider(logs))));
        var admin = factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (given, family, email, phone) = ($"Ottoline{marker}", $"Brackenridge{marker}", $"ottoline.{marker}@example.org", "+31 70 555 0177");

        var expert = await AnExpert().Named(given, family).WithEmail(email).With("phone", phone)
            .With("bio", $"{given} {family} leads document fraud training").Of("eu_civil_servant", "NL", "NL")
            .Knowing("irregular.border-management", 3).Speaking("es", "C1").ExperiencedIn("PE").CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf($"Curriculum of {given} {family}", email), "cv.pdf"));
        await admin.GetAsync($"/api/v1/experts?q={family}");
        // Consent and confirmation notes are free text, and free text names people.
        await admin.PostAsJsonAsync($"/api/v1/experts/{expert}/consents/withdrawals", new { purpose = "cv_sharing", note = $"{given} {family} wrote to us" }, ApiTest.Json);
        await admin.PostAsJsonAsync($"/api/v1/experts/{expert}/consents",
            new { purposes = new[] { "cv_sharing" }, basis = "expert_declaration", note = $"Signed by {given} {family}" }, ApiTest.Json);
        await admin.PostAsJsonAsync($"/api/v1/experts/{expert}/reconfirm", new { basis = "expert_declaration", note = $"Phone call with {given}" }, ApiTest.Json);
        var duplicate = await admin.PostAsJsonAsync("/api/v1/experts", AnExpert().WithEmail(email).Build(), ApiTest.Json);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(admin);
        var run = await admin.PostAsJsonAsync($"/api/v1/actions/{action}/matching",
            new { period = new { from = Days.FromToday(30), to = Days.FromToday(34) }, explainExpertIds = new[] { expert } }, ApiTest.Json);
        var past = await DeployOnNewActivityAsync(admin, action, expert, -40, -36);
        var evaluation = await admin.PutAsJsonAsync($"/api/v1/deployments/{past}/evaluation",
            new { rating = 5, recommendation = "redeploy", comment = $"{given} was excellent" }, ApiTest.Json);
        await DeployOnNewActivityAsync(admin, action, expert, 60, 62);

        var erased = await admin.DeleteAsync($"/api/v1/experts/{expert}");

        Assert.Multiple(() =>
        {
            Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(run.StatusCode, Is.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.Created));
            Assert.That(evaluation.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        string[] identifying = [given, family, email, phone, "555 0177"];
        Assert.That(await RowsHoldingAsync(database.ConnectionString, identifying), Is.Empty, "rows of the database");
        Assert.That(logs, Has.Some.StartsWith("Information"), "the capture sees what production logs");
        Assert.That(logs.Where(line => identifying.Any(v => line.Contains(v, StringComparison.OrdinalIgnoreCase))), Is.Empty, "the service's logs");
        if (TestEnvironment.Postgres.LocalCluster is { } cluster)
        {
            await using var stream = new FileStream(cluster.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var clusterLog = await new StreamReader(stream).ReadToEndAsync();
            Assert.That(identifying.Where(v => clusterLog.Contains(v, StringComparison.OrdinalIgnoreCase)), Is.Empty, "the cluster's log");
        }
    }

    /// <summary>
    /// Every table, every row as PostgreSQL writes it out in full (what a dump would hold), searched for the
    /// values; and every bytea column (stored files) searched for their bytes.
    /// </summary>
    private static async Task<List<string>> RowsHoldingAsync(string connectionString, string[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var tables = await connection.QueryAsync<string>(
            "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var patterns = values.Select(v => $"%{v.ToLowerInvariant()}%").ToArray();
        var found = new List<string>();
        foreach (var table in tables)
        {
            if (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} t WHERE lower(t::text) LIKE ANY(@patterns)", new { patterns }) > 0)
            {
                found.Add(table);
            }
        }

        var files = await connection.QueryAsync<(string Table, string Column)>(
            "SELECT quote_ident(table_name), quote_ident(column_name) FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'");
        foreach (var (table, column) in files)
        {
            foreach (var value in values)
            {
                if (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE position(convert_to(@value, 'UTF8') IN {column}) > 0", new { value }) > 0)
                {
                    found.Add($"{table}.{column}");
                }
            }
        }

        return found;
    }

    /// <summary>The service's log lines at Information and above, as production writes them, with their exceptions.</summary>
    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
