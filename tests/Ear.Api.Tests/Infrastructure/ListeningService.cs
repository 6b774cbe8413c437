using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>
/// The built service as its own process, listening on a free loopback port, on a database the caller
/// names (no demonstration data), for clients that need a real socket rather than the in-memory TestServer.
/// </summary>
internal sealed class ListeningService : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private ListeningService(Process process, StringBuilder output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the service logged so far (warnings and worse), for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>src/Ear.Api's own build of the configuration the tests were built in.</summary>
    public static string BuiltServiceDll()
    {
        var configuration = typeof(ListeningService).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return RepositoryRoot.Find($"src/Ear.Api/bin/{configuration}/net10.0/Ear.Api.dll");
    }

    public static async Task<ListeningService> StartAsync(string connectionString, string adminKey, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = BuiltServiceDll();
        Assert.That(File.Exists(dll), Is.True, $"{dll} is missing: build the solution first (dotnet build).");

        var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Ear"] = connectionString;
        start.Environment["EAR_BOOTSTRAP_ADMIN_KEY"] = adminKey;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["Ear__DemoData"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        void Collect(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ListeningService(process, output, address);
        try
        {
            await service.WaitUntilReadyAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9: no shutdown, no closed connections, whatever was under way stops where it was.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so that the service closes its connections before the database is dropped.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await (term?.WaitForExitAsync() ?? Task.CompletedTask);
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyWithin)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The service exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or still migrating.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The service was not ready within {ReadyWithin.TotalSeconds} s:\n{Output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
