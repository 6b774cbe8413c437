using Npgsql;
using Polly;
using Polly.Retry;

namespace Ear.Api.Platform.Database;

/// <summary>
/// The one retry pipeline: transient PostgreSQL failures (a dropped connection, a restarting server,
/// a serialization failure) are retried briefly, and only around work that is safe to repeat.
/// </summary>
internal static class DatabaseRetry
{
    public static ResiliencePipeline Create() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        })
        .Build();
}
