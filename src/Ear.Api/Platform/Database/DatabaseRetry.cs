using Npgsql;
using Polly;
using Polly.Retry;

namespace Ear.Api.Platform.Database;

/// <summary>
/// The retry pipeline for reads: transient PostgreSQL failures (a dropped connection, a restarting server)
/// are retried briefly, and only around work that is safe to repeat. Transactions are not run through it:
/// <see cref="Db.InTransactionAsync{T}"/> runs one again only when the server rolled it back (a deadlock
/// victim, a serialization failure), the one case where nothing of it was applied.
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
