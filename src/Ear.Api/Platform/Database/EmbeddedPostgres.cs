using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Ear.Api.Platform.Database;

/// <summary>
/// A private PostgreSQL cluster started from the server binaries installed on the machine: the
/// zero-configuration database of a developer's `dotnet run`, and the tests' fallback when neither
/// EAR_TEST_CONNECTION nor a Docker engine is available.
/// </summary>
internal sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string DatabaseName = "ear";
    private const string SuperUser = "ear";
    private const string PasswordFileName = "superuser.password";

    // Personal data must not outlive its erasure in the server log: a unique violation's DETAIL quotes the
    // duplicate e-mail, and a failing statement or its parameters would carry the same. Set with ALTER SYSTEM
    // and reloaded at every start, whether the server was started here or adopted, so that clusters made or
    // started by an earlier version get them too.
    private static readonly (string Name, string Value)[] LogWithoutPersonalData =
    [
        ("log_error_verbosity", "terse"), ("log_min_error_statement", "panic"), ("log_statement", "none"),
        ("log_parameter_max_length", "0"), ("log_parameter_max_length_on_error", "0"),
    ];

    private readonly string _dataDirectory;
    private readonly string _clusterDirectory;
    private readonly PostgresBinaries _binaries;
    private readonly ProcessUser? _runAs;
    private bool _startedByUs;

    private EmbeddedPostgres(string dataDirectory, PostgresBinaries binaries, ProcessUser? runAs)
    {
        _dataDirectory = dataDirectory;
        _clusterDirectory = Path.Combine(dataDirectory, "pgdata");
        _binaries = binaries;
        _runAs = runAs;
    }

    public string ConnectionString { get; private set; } = "";

    /// <summary>The server's own log (pg_ctl -l).</summary>
    public string LogFile => Path.Combine(_clusterDirectory, "server.log");

    public int Port { get; private set; }

    /// <summary>
    /// Starts (creating it on first use) the cluster kept in <paramref name="dataDirectory"/>. A server
    /// left running by a killed predecessor is adopted rather than fought with; one found shutting down
    /// is waited for, up to <paramref name="shutdownWait"/> (default 60 s), and the cluster started
    /// afresh; a stale postmaster.pid whose process is gone or is not PostgreSQL is removed.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, TimeSpan? shutdownWait = null, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries were found (initdb, pg_ctl, postgres on PATH or under " +
            "/usr/lib/postgresql/<version>/bin). Install them (Debian: apt-get install postgresql) or set " +
            "ConnectionStrings__Ear to an existing server.");

        var server = new EmbeddedPostgres(Path.GetFullPath(dataDirectory), binaries, ProcessUser.UnprivilegedIfRoot());
        await server.StartAsync(shutdownWait ?? TimeSpan.FromSeconds(60), cancellationToken);
        return server;
    }

    private async Task StartAsync(TimeSpan shutdownWait, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        var password = await ReadOrCreatePasswordAsync(cancellationToken);

        if (!File.Exists(Path.Combine(_clusterDirectory, "PG_VERSION")))
        {
            await InitialiseClusterAsync(password, cancellationToken);
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            var adopted = await AdoptableServerAsync(waited, shutdownWait, cancellationToken);
            if (adopted is not null)
            {
                Port = adopted.Port;
            }
            else
            {
                Port = FreeLoopbackPort();
                await StartServerAsync(cancellationToken);
            }

            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Database = DatabaseName,
                Username = SuperUser,
                Password = password,
            }.ConnectionString;

            try
            {
                await PrepareServerAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (adopted is not null && e.SqlState == PostgresErrorCodes.CannotConnectNow && waited.Elapsed < shutdownWait)
            {
                // The adopted server was told to shut down just after it was found (or is still starting):
                // look at it again.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>Stops the server with a fast shutdown: committed data is on disk, sessions are ended.</summary>
    public async Task StopAsync()
    {
        if (RunningServer() is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await RunAsync(_binaries.PgCtl, CancellationToken.None, "stop", "-w", "-t", "60", "-m", "fast", "-D", _clusterDirectory);
        _startedByUs = false;
    }

    /// <summary>Starts the server again on the same port, after <see cref="StopAsync"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        // pg_ctl sends the server's own output to the log file, so no pipe of ours outlives pg_ctl.
        await RunAsync(_binaries.PgCtl, cancellationToken,
            "start", "-w", "-t", "60", "-D", _clusterDirectory,
            "-l", LogFile,
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
        _startedByUs = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_startedByUs)
        {
            await StopAsync();
        }
    }

    private async Task<string> ReadOrCreatePasswordAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dataDirectory, PasswordFileName);
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(path, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

    private async Task InitialiseClusterAsync(string password, CancellationToken cancellationToken)
    {
        // initdb wants an empty (or absent) directory: a half-made cluster from an interrupted first
        // start holds no data yet, so it is removed and made again.
        if (Directory.Exists(_clusterDirectory))
        {
            Directory.Delete(_clusterDirectory, recursive: true);
        }

        Directory.CreateDirectory(_clusterDirectory);
        var passwordFile = Path.Combine(_dataDirectory, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        try
        {
            _runAs?.Own(_clusterDirectory);
            _runAs?.Own(passwordFile);
            await RunAsync(_binaries.InitDb, cancellationToken,
                "-D", _clusterDirectory, "-U", SuperUser, "--pwfile", passwordFile,
                "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>Creates the service's database the first time, and sets the log settings on the running server every time.</summary>
    private async Task PrepareServerAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (name, value) in LogWithoutPersonalData)
        {
            await using var set = new NpgsqlCommand($"ALTER SYSTEM SET {name} = '{value}'", connection);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// The live server to adopt (left running when the service was killed), or null when the cluster must
    /// be started. A server shutting down (a predecessor's stop still finishing, an administrator's
    /// pg_ctl stop) refuses every new connection until it exits, so it is not adopted: it is waited for.
    /// </summary>
    private async Task<RunningPostmaster?> AdoptableServerAsync(Stopwatch waited, TimeSpan shutdownWait, CancellationToken cancellationToken)
    {
        while (RunningServer() is { } running)
        {
            if (!running.ShuttingDown)
            {
                return running;
            }

            if (waited.Elapsed > shutdownWait)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL server of {_clusterDirectory} (process {running.ProcessId}) was still shutting down " +
                    $"after {shutdownWait.TotalSeconds:0} s. (server log: {LogFile})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// The live server on this cluster, or null. A postmaster.pid naming a dead process, or a process that
    /// is not PostgreSQL, is stale: it is removed so that it cannot block the start.
    /// </summary>
    private RunningPostmaster? RunningServer()
    {
        var pidFile = Path.Combine(_clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (FileNotFoundException)
        {
            // The server removed it on its way out, between the two calls.
            return null;
        }

        if (lines.Length >= 4 && int.TryParse(lines[0], out var pid) && int.TryParse(lines[3], out var port)
            && IsPostgresProcess(pid))
        {
            // The eighth line is the postmaster's status (PostgreSQL 10 and later): "stopping" from the moment
            // it accepts a shutdown request.
            return new RunningPostmaster(pid, port, ShuttingDown: lines.Length >= 8 && lines[7].Trim() == "stopping");
        }

        File.Delete(pidFile);
        return null;
    }

    private sealed record RunningPostmaster(int ProcessId, int Port, bool ShuttingDown);

    private static bool IsPostgresProcess(int pid)
    {
        var commandLine = $"/proc/{pid}/cmdline";
        if (File.Exists(commandLine))
        {
            try
            {
                return File.ReadAllText(commandLine).Contains("postgres", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                // It exited between the two calls (a server finishing its shutdown while it is waited for).
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName.Contains("postgres", StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string program, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = _runAs?.Wrap(program, arguments) ?? new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: " +
                $"{await output}{await error} (server log: {LogFile})");
        }
    }
}
