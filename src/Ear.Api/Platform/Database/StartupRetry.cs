using System.Diagnostics;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Ear.Api.Platform.Database;

/// <summary>
/// Start-up's patience with a database that does not answer yet (a server that starts slower than the
/// service, a cluster still shutting down): the attempt is made again after growing waits, each failure
/// a warning, until Ear:Database:StartupTimeoutSeconds have passed. Only what the driver calls
/// transient (refused, timed out, shutting down, starting up) is waited out; a wrong password or a
/// failing migration fails at once.
/// </summary>
internal static class StartupRetry
{
    public const string TimeoutSetting = "Ear:Database:StartupTimeoutSeconds";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A pipeline whose time limit starts counting now: make one per start-up step.</summary>
    public static ResiliencePipeline Create(TimeSpan timeout, ILogger logger)
    {
        var waited = Stopwatch.StartNew();
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } failure && IsUnanswered(failure) && waited.Elapsed < timeout),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "The database does not answer yet (attempt {Attempt}): {Failure}. Next attempt in {DelaySeconds:0.##} s.",
                        args.AttemptNumber + 1, Describe(args.Outcome.Exception!), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>
    /// True when the failure is the database not answering, wherever it sits in the chain (DbUp wraps
    /// the driver's exception in its own).
    /// </summary>
    public static bool IsUnanswered(Exception failure) => Unanswered(failure) is not null;

    /// <summary>One line: what the driver said, and why (connection refused, shutting down, timeout).</summary>
    public static string Describe(Exception failure)
    {
        var cause = Unanswered(failure) ?? failure;
        return cause.InnerException is { } inner ? $"{cause.Message} ({inner.Message})" : cause.Message;
    }

    private static NpgsqlException? Unanswered(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is NpgsqlException { IsTransient: true } transient)
            {
                return transient;
            }
        }

        return null;
    }
}
