using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Clients;

/// <summary>
/// The client scenario in TypeScript (tests/Ear.Client.TypeScript): types generated from the committed
/// contract, type-checked with tsc --strict, then run by node against the built service listening on a
/// loopback port, on a database of its own.
/// </summary>
[NonParallelizable]
public sealed partial class TypeScriptClientScenarioTests
{
    /// <summary>
    /// THE SWITCH: set to true once openapi/ear.v1.json declares everything the scenario needs (the gaps are
    /// listed in tests/Ear.Client.TypeScript/README.md). While false, type errors of the kind a gap in the
    /// document causes make the test ignored, after the scenario has still run against the service; any
    /// other type error, and every type error once true, fails it.
    /// </summary>
    private const bool OpenApiDocumentIsComplete = false;

    private const string AdminKey = "ear_tsclient-admin-key-0123456789abcdefghijklmn";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// What tsc says when the generated types lack something the scenario uses: a value possibly null or
    /// undefined (a missing `required`), a property or parameter that does not exist or has another type
    /// (an undeclared body, header or field), a callback over an untyped value.
    /// </summary>
    private static readonly HashSet<string> ContractShapedErrors =
    [
        "TS2322", "TS2339", "TS2345", "TS2353", "TS2488", "TS2531", "TS2532", "TS2769", "TS7006", "TS18046", "TS18047", "TS18048",
    ];

    [Test]
    public async Task The_TypeScript_client_scenario_type_checks_against_the_contract_and_runs_against_the_service()
    {
        var node = NodeTools.Locate();
        var project = RepositoryRoot.Find("tests/Ear.Client.TypeScript");

        await InstallPackagesUnlessCurrentAsync(node, project);
        await RunToSuccessAsync(node.Npm, project, "run", "generate");
        var typeErrors = await TypeCheckAsync(node, project);
        await RunToSuccessAsync(node.Node, project, "rules.js");
        await RunToSuccessAsync(node.Npm, project, "run", "build");

        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var service = await ListeningService.StartAsync(database.ConnectionString, AdminKey);
        var (exitCode, output) = await RunAsync(node.Node, project,
            new Dictionary<string, string> { ["EAR_URL"] = service.Address.ToString().TrimEnd('/'), ["EAR_API_KEY"] = AdminKey },
            "--enable-source-maps", "out/scenario.js");

        Assert.That(exitCode, Is.Zero, $"The scenario failed:\n{output}\n--- the service's log ---\n{service.Output}");
        if (typeErrors is not null)
        {
            Assert.Ignore($"waits for the complete OpenAPI document: the scenario ran and passed, but tsc --strict refuses it against today's contract:\n{typeErrors}");
        }
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

    /// <summary>
    /// Null when tsc --strict accepts the scenario; its errors when they are all of the kind a gap in the
    /// document causes and the switch says the document is not complete yet; otherwise the test fails.
    /// </summary>
    private static async Task<string?> TypeCheckAsync(NodeTools node, string project)
    {
        var (exitCode, output) = await RunAsync(node.Npx, project, null, "tsc", "--strict", "--noEmit", "--pretty", "false");
        if (exitCode == 0)
        {
            return null;
        }

        var errors = TscError().Matches(output);
        var onlyContractShaped = errors.Count > 0 && errors.All(e => e.Groups["file"].Value == "scenario.ts" && ContractShapedErrors.Contains(e.Groups["code"].Value));
        if (OpenApiDocumentIsComplete || !onlyContractShaped)
        {
            Assert.Fail($"tsc --strict refuses the scenario:\n{output}");
        }

        return string.Join('\n', output.Split('\n').Where(line => line.StartsWith("scenario.ts(", StringComparison.Ordinal)));
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

    [GeneratedRegex(@"^(?<file>[^\s(]+)\(\d+,\d+\): error (?<code>TS\d+):", RegexOptions.Multiline)]
    private static partial Regex TscError();

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
