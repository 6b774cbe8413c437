using Ear.Api.Auth;
using Ear.Api.Features.Matching;
using Ear.Api.Platform.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using Respawn.Graph;
using Ear.Api.Tests.Infrastructure;
using Ear.Api.Tests.Infrastructure.Contract;

namespace Ear.Api.Tests;

/// <summary>
/// Once per run: one PostgreSQL, the real migrations, one service. Before each test the roster is
/// emptied (reference data and the migration journal stay) and the admin test key is issued again
/// through the service's own bootstrap code.
/// </summary>
[SetUpFixture]
public sealed class TestEnvironment
{
    public const string AdminKey = "ear_test-admin-key-0123456789abcdefghijklmnopqrstuv";

    private static readonly Table[] KeptTables =
    [
        new(Migrations.JournalTable), new("countries"), new("eu_memberships"), new("languages"),
        new("regions"), new("region_countries"), new("themes"), new("language_levels"), new("retention_secret"), new("change_feed_horizon"),
    ];

    private static TestPostgres? _postgres;
    private static EarApiFactory? _factory;
    private static Respawner? _respawner;

    internal static TestPostgres Postgres => _postgres ?? throw new InvalidOperationException("The test environment did not start.");

    internal static EarApiFactory Factory => _factory ?? throw new InvalidOperationException("The test environment did not start.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _postgres = await TestPostgres.StartAsync();
        TestContext.Progress.WriteLine($"EAR tests: PostgreSQL from {_postgres.Source}, database {_postgres.DatabaseName}");
        Migrations.Apply(_postgres.ConnectionString, NullLogger.Instance);
        _factory = new EarApiFactory(_postgres.ConnectionString, new Dictionary<string, string?> { ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey });
        _ = _factory.Server;

        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = KeptTables,
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await ReportContractConformanceAsync();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Every response of the run was checked against openapi/ear.v1.json; this says how that went.</summary>
    private static async Task ReportContractConformanceAsync()
    {
        var summary = ContractLedger.Run.Summary(ContractSettings.Mode);
        await TestContext.Progress.WriteLineAsync(summary);
        var path = ContractSettings.SummaryPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, summary);
        await TestContext.Progress.WriteLineAsync($"Contract summary written to {path}");
    }

    internal static async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        // The service writes a request's audit entry just after answering it, so the previous test's last
        // entry may still be arriving: a deadlock with it is transient, and the reset is simply run again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await (_respawner ?? throw new InvalidOperationException("The test environment did not start.")).ResetAsync(connection);
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }

        // Deleting experts and deployments fires the ledgers' triggers, which may write after a ledger was emptied
        // (negative rows for the next test): every trigger-kept ledger is emptied last.
        // The change feed's triggers log those deletions too (decision 0023): the feed starts empty for every test.
        await using (var truncate = new NpgsqlCommand(
            "TRUNCATE pool_ledger, pool_month_ledger, deployment_ledger, deployment_month_ledger, activity_ledger, change_events, change_commits; UPDATE change_feed_horizon SET trimmed_through = 0, trimmed_seq = 0",
            connection))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        // The reset happens behind the service's back; its in-memory matching roster must forget too.
        Factory.Services.GetRequiredService<RosterSnapshot>().Invalidate();
        await using var dataSource = NpgsqlDataSource.Create(Postgres.ConnectionString);
        await BootstrapAdminKey.EnsureAsync(dataSource, AdminKey, NullLogger.Instance, CancellationToken.None);

        // The service hears of the deleted keys within a second (decision 0015); the next test may not wait that long.
        Factory.Services.GetRequiredService<ApiKeyCache>().ForgetAll();
    }
}
