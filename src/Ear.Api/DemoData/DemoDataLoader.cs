using Dapper;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.DemoData;

/// <summary>
/// The embedded default comes with demonstration data, loaded once: the story of <see cref="DemoStory"/>
/// (a roster, the 2009-2015 record and a synthetic 2016-2024 one, from which the reports read MIEUX's
/// published figures). `dotnet Ear.Api.dll seed --experts N [--seed S]` adds N generated experts with
/// deployment histories to any database, for benchmarks.
/// </summary>
internal static class DemoDataLoader
{
    public static async Task LoadOnceAsync(WebApplication app, CancellationToken cancellationToken)
    {
        // On by default for the embedded cluster only: a real server never gets synthetic experts unasked.
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (!app.Configuration.GetValue("Ear:DemoData", defaultValue: options.Embedded))
        {
            return;
        }

        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var reference = await app.Services.GetRequiredService<ReferenceCatalog>().GetAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The roster and the history are one story now; a database that holds the earlier roster
        // (claimed as "roster") keeps it rather than getting a second one.
        if (await ClaimAsync(connection, transaction, "roster", cancellationToken))
        {
            await ClaimAsync(connection, transaction, "history-2009-2015", cancellationToken);
            var story = DemoStory.Build(reference);
            await DemoStoryCopy.WriteAsync(connection, story, cancellationToken);
            app.Logger.LogInformation("Loaded the demonstration data: {Experts} experts, {Actions} actions and requests of 2009-2024, {Deployments} deployments.",
                story.Experts.Count, story.Actions.Count, story.Deployments.Count);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Records that a part of the demonstration data is loaded; false when it was already. Should two
    /// instances start together, the second waits on the first's row and then finds it there.
    /// </summary>
    private static async Task<bool> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO demo_data_loads (name) VALUES (@name) ON CONFLICT (name) DO NOTHING", new { name }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>The `seed` verb: appends generated experts and their deployment histories (COPY), and reports how long it took.</summary>
    public static async Task SeedAsync(WebApplication app, int experts, int seed, CancellationToken cancellationToken)
    {
        var reference = await app.Services.GetRequiredService<ReferenceCatalog>().GetAsync(cancellationToken);
        var roster = new DemoRoster(reference);
        var started = System.Diagnostics.Stopwatch.StartNew();
        // A million rows take minutes to copy (the search documents are built as they arrive): no command timeout here.
        var settings = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<DatabaseOptions>().ConnectionString) { CommandTimeout = 0 };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var count = await DemoRosterCopy.WriteAsync(connection, () => roster.Generate(experts, seed), cancellationToken);
        var deployments = await DemoHistories.WriteAsync(connection, roster.Generate(experts, seed), experts, seed, reference, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // Vacuumed as well as analysed: the reports' covering indexes serve index-only scans only once
        // the visibility map says the pages are all-visible.
        await using (var analyze = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        Console.WriteLine($"EAR: seeded {count} experts with {deployments} deployments (seed {seed}) in {started.Elapsed.TotalSeconds:F1} s");
    }
}
