using Dapper;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.DemoData;

/// <summary>
/// The embedded default comes with a demonstration roster (and, as later features arrive, its
/// history), loaded once. `dotnet Ear.Api.dll seed --experts N [--seed S]` adds N generated experts
/// to any database, for benchmarks.
/// </summary>
internal static class DemoData
{
    public const int DemoRosterSize = 650;
    public const int DemoRosterSeed = 2009;

    public static async Task LoadOnceAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (!options.Embedded || !app.Configuration.GetValue("Ear:DemoData", defaultValue: true))
        {
            return;
        }

        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var reference = await app.Services.GetRequiredService<ReferenceCatalog>().GetAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The insert both claims the load and, should two instances start together, lets only one do it.
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO demo_data_loads (name) VALUES ('roster') ON CONFLICT (name) DO NOTHING", transaction: transaction, cancellationToken: cancellationToken));
        if (claimed == 0)
        {
            return;
        }

        var roster = new DemoRoster(reference);
        var count = await DemoRosterCopy.WriteAsync(connection, () => roster.Generate(DemoRosterSize, DemoRosterSeed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        app.Logger.LogInformation("Loaded the demonstration roster: {Count} experts.", count);
    }

    /// <summary>The `seed` verb: appends generated experts (COPY) and reports how long it took.</summary>
    public static async Task SeedAsync(WebApplication app, int experts, int seed, CancellationToken cancellationToken)
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var reference = await app.Services.GetRequiredService<ReferenceCatalog>().GetAsync(cancellationToken);
        var roster = new DemoRoster(reference);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var count = await DemoRosterCopy.WriteAsync(connection, () => roster.Generate(experts, seed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        Console.WriteLine($"EAR: seeded {count} experts (seed {seed}) in {started.Elapsed.TotalSeconds:F1} s");
    }
}
