using Ear.Api.Platform.Database;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of a test run, in order of preference: the one EAR_TEST_CONNECTION names, a
/// Testcontainers container when a Docker engine answers, or a throwaway cluster started by the same
/// launcher as the service's embedded default. Each run gets a database of its own, dropped at the end.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    private const string HowToGetOne =
        "No PostgreSQL server for the tests: set EAR_TEST_CONNECTION to a server the tests may create databases on, " +
        "start a Docker engine, or install the PostgreSQL server binaries (Debian: apt-get install postgresql).";

    private readonly string _serverConnectionString;
    private readonly IAsyncDisposable? _server;

    private TestPostgres(string serverConnectionString, IAsyncDisposable? server, string source, EmbeddedPostgres? localCluster = null)
    {
        _serverConnectionString = serverConnectionString;
        _server = server;
        LocalCluster = localCluster;
        Source = source;
        DatabaseName = $"ear_test_{Guid.NewGuid():N}"[..24];
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public string ConnectionString { get; }

    public string DatabaseName { get; }

    public string Source { get; }

    /// <summary>The local cluster, when the run uses one (the outage tests stop and restart it).</summary>
    public EmbeddedPostgres? LocalCluster { get; }

    public static async Task<TestPostgres> StartAsync()
    {
        var failures = new List<string>();
        if (Environment.GetEnvironmentVariable("EAR_TEST_CONNECTION") is { Length: > 0 } configured)
        {
            return await CreateDatabaseAsync(new TestPostgres(configured, null, "EAR_TEST_CONNECTION"));
        }

        if (DockerMayAnswer())
        {
            try
            {
                var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await container.StartAsync(timeout.Token);
                return await CreateDatabaseAsync(new TestPostgres(container.GetConnectionString(), container, "Testcontainers"));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"Docker: {e.Message}");
            }
        }

        if (PostgresBinaries.Find() is not null)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"ear-tests-{Guid.NewGuid():N}");
            var cluster = await EmbeddedPostgres.StartAsync(directory);
            return await CreateDatabaseAsync(new TestPostgres(cluster.ConnectionString, new DeletingCluster(cluster, directory), "local cluster", cluster));
        }

        throw new InvalidOperationException($"{HowToGetOne} {string.Join(" ", failures)}".Trim());
    }

    /// <summary>A further empty database on the same server, for a test that needs one of its own; dropped when disposed.</summary>
    public async Task<ScratchDatabase> CreateScratchDatabaseAsync()
    {
        var name = $"ear_scratch_{Guid.NewGuid():N}"[..27];
        await using (var connection = new NpgsqlConnection(ServerConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new ScratchDatabase(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString,
            async () =>
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(ServerConnectionString("postgres"));
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            });
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(ServerConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private string ServerConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = database, Pooling = false }.ConnectionString;

    private static async Task<TestPostgres> CreateDatabaseAsync(TestPostgres postgres)
    {
        await using var connection = new NpgsqlConnection(postgres.ServerConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {postgres.DatabaseName}", connection);
        await create.ExecuteNonQueryAsync();
        return postgres;
    }

    /// <summary>Testcontainers takes long to give up where no engine exists; a missing socket says it early.</summary>
    private static bool DockerMayAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    internal sealed class ScratchDatabase(string connectionString, Func<Task> drop) : IAsyncDisposable
    {
        public string ConnectionString => connectionString;

        public async ValueTask DisposeAsync() => await drop();
    }

    private sealed class DeletingCluster(EmbeddedPostgres cluster, string directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cluster.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
