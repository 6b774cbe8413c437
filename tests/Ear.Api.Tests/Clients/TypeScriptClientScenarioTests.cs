using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Clients;

/// <summary>
/// The client scenario in TypeScript (tests/Ear.Client.TypeScript): types generated from the committed
/// contract, type-checked with tsc --strict, then run by node against the built service listening on a
/// loopback port, on a database of its own.
/// </summary>
[NonParallelizable]
public sealed class TypeScriptClientScenarioTests
{
    private const string AdminKey = "ear_tsclient-admin-key-0123456789abcdefghijklmn";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task The_TypeScript_client_scenario_type_checks_against_the_contract_and_runs_against_the_service()
    {
        var node = NodeTools.Locate();
        var project = RepositoryRoot.Find("tests/Ear.Client.TypeScript");

        await InstallPackagesUnlessCurrentAsync(node, project);
        await RunToSuccessAsync(node.Npm, project, "run", "generate");
        await RunToSuccessAsync(node.Npx, project, "tsc", "--strict", "--noEmit", "--pretty", "false");
        await RunToSuccessAsync(node.Node, project, "rules.js");
        await RunToSuccessAsync(node.Npm, project, "run", "build");

        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var service = await ListeningService.StartAsync(database.ConnectionString, AdminKey);
        var (exitCode, output) = await RunAsync(node.Node, project,
            new Dictionary<string, string> { ["EAR_URL"] = service.Address.ToString().TrimEnd('/'), ["EAR_API_KEY"] = AdminKey },
            "--enable-source-maps", "out/scenario.js");

        Assert.That(exitCode, Is.Zero, $"The scenario failed:\n{output}\n--- the service's log ---\n{service.Output}");
    }

    /// <summary>npm ci, unless node_modules was installed from this very package-lock.json.</summary>
    private static async Task InstallPackagesUnlessCurrentAsync(NodeTools node, string project)
    {
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(project, "package-lock.json"))));
        var stamp = Path.Combine(project, "node_modules", ".installed-from-lock.sha256");
        if (File.Exists(stamp) && (await File.ReadAllTextAsync(stamp)).Trim() == lockHash)
        {
            return;
        }

        await RunToSuccessAsync(node.Npm, project, "ci", "--no-audit", "--no-fund");
        await File.WriteAllTextAsync(stamp, lockHash);
    }

    private static async Task RunToSuccessAsync(string program, string directory, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(program, directory, null, arguments);
        Assert.That(exitCode, Is.Zero, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed:\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string directory, Dictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} {string.Join(' ', arguments)} was still running after {StepTimeout.TotalMinutes} minutes:\n{await output}{await error}");
        }

        return (process.ExitCode, new StringBuilder(await output).Append(await error).ToString());
    }

    private sealed record NodeTools(string Node, string Npm, string Npx)
    {
        /// <summary>node, npm and npx from PATH; without them the test is ignored, except in CI where it fails.</summary>
        public static NodeTools Locate()
        {
            var node = OnPath("node");
            var npm = OnPath("npm");
            var npx = OnPath("npx");
            if (node is not null && npm is not null && npx is not null)
            {
                return new NodeTools(node, npm, npx);
            }

            const string missing = "The TypeScript client scenario needs node and npm on PATH (Debian: apt-get install nodejs npm).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(missing);
            }

            Assert.Ignore(missing);
            throw new UnreachableException();
        }

        private static string? OnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, name))
                .FirstOrDefault(File.Exists);
    }
}
