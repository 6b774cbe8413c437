using Ear.Api.Platform.Database;
using Ear.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// db/schema.sql is the schema read in one place instead of fifteen migrations in order; this keeps it
/// true. To accept a new migration: EAR_UPDATE_SCHEMA=1 dotnet test tests/Ear.Api.Tests --filter SchemaSnapshotTests
/// </summary>
public sealed class SchemaSnapshotTests
{
    [Test]
    public async Task The_committed_schema_is_what_the_migrations_produce()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        Migrations.Apply(database.ConnectionString, NullLogger.Instance);
        var (produced, missing) = await SchemaDump.OfAsync(database.ConnectionString);
        if (produced is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(missing!);
            }

            Assert.Ignore(missing!);
        }

        var path = RepositoryRoot.Find("db/schema.sql");
        if (Environment.GetEnvironmentVariable("EAR_UPDATE_SCHEMA") == "1")
        {
            await File.WriteAllTextAsync(path, produced);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "(missing)";
        Assert.That(committed, Is.EqualTo(produced),
            "db/schema.sql differs from the schema the migrations produce. If the change is intended, run " +
            "EAR_UPDATE_SCHEMA=1 dotnet test tests/Ear.Api.Tests --filter SchemaSnapshotTests and commit the file.");
    }
}
