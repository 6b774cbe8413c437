using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>
/// A primary and a hot standby made from the machine's PostgreSQL binaries: the primary is the service's
/// own embedded cluster, the standby a pg_basebackup -R of it streaming the primary's WAL, with
/// synchronous replication on (a commit is acknowledged once the standby has it), as docs/scaling.md and
/// the README describe for production. No mocks: the service sees a real failover.
/// </summary>
internal sealed class ReplicatedCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly EmbeddedPostgres _primary;
    private readonly string _standbyData;
    private readonly string _binDirectory;
    private readonly ProcessUser? _runAs;

    private ReplicatedCluster(string directory, EmbeddedPostgres primary, string standbyData, int standbyPort, string binDirectory, ProcessUser? runAs)
    {
        _directory = directory;
        _primary = primary;
        _standbyData = standbyData;
        StandbyPort = standbyPort;
        _binDirectory = binDirectory;
        _runAs = runAs;
        var primarySettings = new NpgsqlConnectionStringBuilder(primary.ConnectionString);
        PrimaryConnectionString = primary.ConnectionString;
        StandbyConnectionString = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Port = standbyPort }.ConnectionString;
        ServiceConnectionString = new NpgsqlConnectionStringBuilder(primary.ConnectionString)
        {
            Host = $"{primarySettings.Host}:{primarySettings.Port},{primarySettings.Host}:{standbyPort}",
        }.ConnectionString;
    }

    /// <summary>Both hosts, as an operator would configure ConnectionStrings__Ear.</summary>
    public string ServiceConnectionString { get; }

    public string PrimaryConnectionString { get; }

    public string StandbyConnectionString { get; }

    public int StandbyPort { get; }

    public static async Task<ReplicatedCluster> StartAsync()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException("No PostgreSQL server binaries.");
        // pg_ctl on PATH may be a link to the installation, whose directory also holds pg_basebackup.
        var binDirectory = Path.GetDirectoryName(new FileInfo(binaries.PgCtl).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? binaries.PgCtl)!;
        var runAs = ProcessUser.UnprivilegedIfRoot();
        var directory = Path.Combine(Path.GetTempPath(), $"ear-replicated-{Guid.NewGuid():N}");
        var primary = await EmbeddedPostgres.StartAsync(Path.Combine(directory, "primary"));

        // An empty directory of the server's user, 0700 as PostgreSQL demands, for pg_basebackup to fill.
        var standbyData = Path.Combine(directory, "standby");
        Directory.CreateDirectory(standbyData);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(standbyData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        runAs?.Own(standbyData);

        var cluster = new ReplicatedCluster(directory, primary, standbyData, FreeLoopbackPort(), binDirectory, runAs);
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(primary.ConnectionString);
            await cluster.RunAsync("pg_basebackup", new Dictionary<string, string> { ["PGPASSWORD"] = settings.Password! },
                "-D", standbyData, "-R", "-X", "stream", "-c", "fast", "-h", settings.Host!, "-p", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", settings.Username!);
            await cluster.RunAsync("pg_ctl", null, "start", "-w", "-t", "60", "-D", standbyData, "-l", Path.Combine(standbyData, "server.log"),
                "-o", $"-p {cluster.StandbyPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
            await cluster.WaitUntilStreamingAsync();

            // From now on a commit waits for the standby: no acknowledged write can be lost by a failover.
            await using var connection = new NpgsqlConnection(primary.ConnectionString);
            await connection.OpenAsync();
            await using var synchronous = new NpgsqlCommand("ALTER SYSTEM SET synchronous_standby_names = '*'; SELECT pg_reload_conf();", connection);
            await synchronous.ExecuteNonQueryAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The primary dies as in a crash or a lost machine (immediate shutdown: no checkpoint, sessions cut).</summary>
    public Task StopPrimaryAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return RunAsync("pg_ctl", null, "stop", "-m", "immediate", "-w", "-D", Path.Combine(_directory, "primary", "pgdata"));
    }

    /// <summary>What the operator (or Patroni, or a managed service) does next: the standby becomes the primary.</summary>
    public Task PromoteStandbyAsync() => RunAsync("pg_ctl", null, "promote", "-w", "-t", "60", "-D", _standbyData);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync("pg_ctl", null, "stop", "-m", "immediate", "-w", "-D", _standbyData);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already stopped.
        }

        await _primary.StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilStreamingAsync()
    {
        await using var connection = new NpgsqlConnection(PrimaryConnectionString);
        await connection.OpenAsync();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var streaming = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", connection);
            if ((long)(await streaming.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"The standby did not stream within 30 s (log: {Path.Combine(_standbyData, "server.log")}).");
            }

            await Task.Delay(100);
        }
    }

    private async Task RunAsync(string program, Dictionary<string, string>? environment, params string[] arguments)
    {
        var path = Path.Combine(_binDirectory, program);
        var start = _runAs?.Wrap(path, arguments) ?? new ProcessStartInfo(path, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
