using DbUp;
using DbUp.Engine.Output;

namespace Ear.Api.Platform.Database;

/// <summary>Applies db/migrations (embedded in this assembly) in name order, each in its own transaction.</summary>
internal static class Migrations
{
    public const string JournalTable = "schema_migrations";

    public static void Apply(string connectionString, ILogger logger)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
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
