using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ear.Benchmarks;

/// <summary>
/// The real service, built in Release and run as its own process on a loopback port, on an embedded
/// cluster kept in a data folder per roster size (seeded once with the service's own `seed` verb).
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    public const string AdminKey = "ear_benchmark-admin-key-0123456789abcdefghij";

    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ear.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }

    public static async Task BuildAsync(string root) =>
        await RunToEndAsync("dotnet", root, [], "build", "-c", "Release", "src/Ear.Api", "-v", "quiet", "-nologo");

    public static async Task SeedIfNewAsync(string root, string dataDirectory, int experts)
    {
        if (Directory.Exists(dataDirectory))
        {
            return;
        }

        Console.WriteLine($"seeding {experts} experts into {dataDirectory} (once) ...");
        await RunToEndAsync("dotnet", root, Environment(dataDirectory), ApiDll(root), "seed", "--experts", experts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "7");
    }

    public static async Task<ServiceProcess> StartAsync(string root, string dataDirectory)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [ApiDll(root)]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in Environment(dataDirectory))
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return new ServiceProcess(process, address);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The service did not become ready within two minutes.");
    }

    /// <summary>The embedded cluster's connection string (its password file and the running server's port).</summary>
    public static string DatabaseConnectionString(string dataDirectory)
    {
        var password = File.ReadAllText(Path.Combine(dataDirectory, "superuser.password")).Trim();
        var port = File.ReadAllLines(Path.Combine(dataDirectory, "pgdata", "postmaster.pid"))[3].Trim();
        return $"Host=127.0.0.1;Port={port};Database=ear;Username=ear;Password={password}";
    }

    /// <summary>The most resident memory the service has used so far (Linux VmHWM), in MiB.</summary>
    public double PeakMemoryMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM, so that the service stops its embedded cluster cleanly.
        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await term.WaitForExitAsync();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string ApiDll(string root) => Path.Combine(root, "src/Ear.Api/bin/Release/net10.0/Ear.Api.dll");

    private static Dictionary<string, string> Environment(string dataDirectory) => new()
    {
        ["EAR_DATA_DIR"] = dataDirectory,
        ["Ear__DemoData"] = "false",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunToEndAsync(string program, string root, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = root };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}).");
        }
    }
}
