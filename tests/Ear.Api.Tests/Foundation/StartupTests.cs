using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ear.Api.Platform.Database;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

/// <summary>
/// Start-up waits for a database that does not answer yet, and when it never does, says so in one
/// critical line and exits with a failing code instead of crashing.
/// </summary>
[NonParallelizable]
public sealed class StartupTests
{
    private const string AdminKey = "ear_startup-admin-key-0123456789abcdefghijklmnop";

    [Test]
    public async Task The_service_waits_for_a_database_that_starts_after_it()
    {
        if (PostgresBinaries.Find() is null)
        {
            Assert.Ignore("Needs the PostgreSQL server binaries to start a cluster of its own late.");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"ear-startup-{Guid.NewGuid():N}");
        var cluster = await EmbeddedPostgres.StartAsync(directory);
        try
        {
            await cluster.StopAsync();
            await using var factory = new EarApiFactory(cluster.ConnectionString, new Dictionary<string, string?> { ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey });
            var starting = Task.Run(() => factory.Server);

            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.That(starting.IsCompleted, Is.False, "the service started, or gave up, without its database");
            await cluster.RestartAsync();
            await starting.WaitAsync(TimeSpan.FromMinutes(1));

            var client = factory.CreateValidatedClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            Assert.That((await client.GetAsync("/api/v1/languages")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
                "migrated and the bootstrap key created once the database answered");
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("", TestName = "Without_a_database_the_service_gives_up_after_the_configured_time_with_one_critical_line_and_exit_code_1")]
    [TestCase("migrate", TestName = "Without_a_database_migrate_gives_up_after_the_configured_time_with_one_critical_line_and_exit_code_1")]
    public async Task Without_a_database_start_up_gives_up_with_one_critical_line_and_a_failing_exit_code(string verb)
    {
        var nobodyListens = $"Host=127.0.0.1;Port={UnusedLoopbackPort()};Database=ear;Username=ear;Password=unused";

        var (exitCode, output) = await RunServiceAsync(verb.Length == 0 ? [] : [verb], new Dictionary<string, string>
        {
            ["ConnectionStrings__Ear"] = nobodyListens,
            [StartupRetry.TimeoutSetting.Replace(":", "__", StringComparison.Ordinal)] = "1",
        });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("The database does not answer yet (attempt 1)"), output);
            Assert.That(CountOf("\"LogLevel\":\"Critical\"", output), Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("The database did not answer within 1 s"), output);
            Assert.That(output, Does.Not.Contain("Unhandled exception"), output);
        });
    }

    /// <summary>The built service as its own process (the test project carries a copy of it), logging in its production JSON.</summary>
    private static async Task<(int ExitCode, string Output)> RunServiceAsync(string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ear.Api.dll"), .. arguments])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{UnusedLoopbackPort()}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(hung.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The service was still running a minute later: {await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    private static int CountOf(string text, string within) =>
        (within.Length - within.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
