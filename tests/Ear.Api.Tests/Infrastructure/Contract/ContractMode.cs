namespace Ear.Api.Tests.Infrastructure.Contract;

/// <summary>What a response that does not conform to openapi/ear.v1.json does to the test that received it.</summary>
internal enum ContractMode
{
    /// <summary>Nothing at once: the violation is counted and listed in the run's summary.</summary>
    Report,

    /// <summary>The test fails, naming the operation, status, media type and the first schema errors.</summary>
    Strict,
}

internal static class ContractSettings
{
    /// <summary>
    /// Strict: a response that does not conform fails the test that received it. EAR_CONTRACT_MODE=report
    /// collects them into the run's summary instead, for one run (useful while changing the document).
    /// </summary>
    private const ContractMode DefaultMode = ContractMode.Strict;

    public static ContractMode Mode { get; } = Environment.GetEnvironmentVariable("EAR_CONTRACT_MODE")?.ToLowerInvariant() switch
    {
        null or "" => DefaultMode,
        "strict" => ContractMode.Strict,
        "report" => ContractMode.Report,
        var other => throw new InvalidOperationException($"EAR_CONTRACT_MODE is '{other}': use 'strict' or 'report'."),
    };

    /// <summary>The run's summary, beside the test binaries (bin/ is git-ignored).</summary>
    public static string SummaryPath => RepositoryRoot.Find("tests/Ear.Api.Tests/bin/contract-violations.txt");
}
