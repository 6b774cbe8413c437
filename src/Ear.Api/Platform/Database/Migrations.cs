using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace Ear.Api.Platform.Database;

/// <summary>
/// Applies db/migrations (embedded in this assembly) in name order, each in its own transaction, while
/// holding a PostgreSQL advisory lock: instances that start together take turns, and the ones after the
/// first find every script already in the journal (decision 0017).
/// </summary>
internal static class Migrations
{
    public const string JournalTable = "schema_migrations";

    /// <summary>The advisory lock key, the same for every instance and version: "EAR migr" in ASCII.</summary>
    public const long LockKey = 0x4541_5220_6D69_6772;

    public static void Apply(string connectionString, ILogger logger)
    {
        // Migrations write: with several hosts named, only the primary will do.
        var primary = ReadReplicas.PrimaryOnly(connectionString);

        // A session-level lock on a connection of its own, so that DbUp's connections and transactions do
        // not matter to it and a process that dies while migrating frees it with its session.
        using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(primary) { Pooling = false }.ConnectionString);
        lockConnection.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            // Another instance's migration may run for minutes (a backfill): wait for it as long as it takes.
            take.CommandTimeout = 0;
            take.Parameters.AddWithValue("key", LockKey);
            take.ExecuteNonQuery();
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(primary)
                .WithScriptsEmbeddedInAssembly(typeof(Migrations).Assembly, name => name.StartsWith("Ear.Migrations.", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript()
                // A script that backfills a large roster may run for minutes; request timeouts do not apply.
                .WithExecutionTimeout(TimeSpan.FromHours(1))
                .LogTo(new MigrationLog(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
            }
        }
        finally
        {
            // Closing the session would free it too; said explicitly so the next instance need not wait for the close.
            using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", LockKey);
            release.ExecuteNonQuery();
        }
    }

    // DbUp hands over its own format strings; they are forwarded as templates unchanged.
#pragma warning disable CA2254
    private sealed class MigrationLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);

        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);

        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);

        public void LogError(string format, params object[] args) => logger.LogError(format, args);

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
#pragma warning restore CA2254
}
