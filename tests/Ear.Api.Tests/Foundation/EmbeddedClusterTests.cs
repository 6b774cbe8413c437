using System.Diagnostics;
using Dapper;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Tests.Foundation;

/// <summary>
/// What the embedded cluster's launcher finds in its data folder: a server left running by a killed
/// service is adopted; one shutting down is waited for and the cluster started afresh, data kept.
/// The tests share a cluster folder of their own (initdb is the slow part); each begins with whatever
/// server the previous one left running, as a restarted service would.
/// </summary>
[NonParallelizable]
public sealed class EmbeddedClusterTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ear-cluster-{Guid.NewGuid():N}");

    [OneTimeSetUp]
    public async Task CreateClusterAsync()
    {
        if (PostgresBinaries.Find() is null)
        {
            Assert.Ignore("Needs the PostgreSQL server binaries to run a cluster of its own.");
        }

        await EmbeddedPostgres.StartAsync(_directory);
    }

    [OneTimeTearDown]
    public async Task RemoveClusterAsync()
    {
        if (File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")))
        {
            await PgCtlAsync("stop", "-w", "-m", "fast", "-D", ClusterDirectory);
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task A_server_left_running_by_a_killed_service_is_adopted_with_its_data()
    {
        var killed = await EmbeddedPostgres.StartAsync(_directory);
        var mark = await WriteMarkAsync(killed.ConnectionString);
        var postmaster = PostmasterProcessId();

        // A killed service never stops its server: the next one starts on the same folder.
        var next = await EmbeddedPostgres.StartAsync(_directory);

        Assert.Multiple(async () =>
        {
            Assert.That(PostmasterProcessId(), Is.EqualTo(postmaster));
            Assert.That(next.Port, Is.EqualTo(killed.Port));
            Assert.That(await HasMarkAsync(next.ConnectionString, mark), Is.True);
        });
    }

    [Test]
    public async Task A_server_found_shutting_down_is_waited_for_and_the_cluster_started_afresh_with_its_data()
    {
        var previous = await EmbeddedPostgres.StartAsync(_directory);
        var mark = await WriteMarkAsync(previous.ConnectionString);
        var postmaster = PostmasterProcessId();

        // A smart shutdown waits for this session to end, refusing every new one meanwhile.
        var lingering = new NpgsqlConnection(Unpooled(previous.ConnectionString));
        await lingering.OpenAsync();
        await PgCtlAsync("stop", "-m", "smart", "--no-wait", "-D", ClusterDirectory);
        await PostmasterStatusAsync("stopping");

        var starting = EmbeddedPostgres.StartAsync(_directory);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(starting.IsCompleted, Is.False, "adopted (or gave up on) a server that was shutting down");
        await lingering.DisposeAsync();
        var next = await starting.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Multiple(async () =>
        {
            Assert.That(PostmasterProcessId(), Is.Not.EqualTo(postmaster));
            Assert.That(await HasMarkAsync(next.ConnectionString, mark), Is.True);
        });
    }

    private string ClusterDirectory => Path.Combine(_directory, "pgdata");

    /// <summary>pg_ctl only signals the server; the server says in postmaster.pid when it has heard.</summary>
    private async Task PostmasterStatusAsync(string status)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (File.ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid")).ElementAtOrDefault(7)?.Trim() != status)
        {
            await Task.Delay(50, patience.Token);
        }
    }

    private int PostmasterProcessId() =>
        int.Parse(File.ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>A committed row to look for afterwards.</summary>
    private static async Task<Guid> WriteMarkAsync(string connectionString)
    {
        var mark = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS marks (mark uuid NOT NULL); INSERT INTO marks (mark) VALUES (@mark)", new { mark });
        return mark;
    }

    private static async Task<bool> HasMarkAsync(string connectionString, Guid mark)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM marks WHERE mark = @mark)", new { mark });
    }

    /// <summary>pg_ctl as the user the cluster runs as (PostgreSQL refuses root).</summary>
    private static async Task PgCtlAsync(params string[] arguments)
    {
        var pgCtl = PostgresBinaries.Find()!.PgCtl;
        var start = ProcessUser.UnprivilegedIfRoot()?.Wrap(pgCtl, arguments) ?? new ProcessStartInfo(pgCtl, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, output);
    }
}
