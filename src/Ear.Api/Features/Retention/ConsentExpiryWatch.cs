using Microsoft.Extensions.Options;

namespace Ear.Api.Features.Retention;

/// <summary>
/// Looks for expired consents every <see cref="RetentionPolicy.ExpiryCheckInterval"/> (a minute by default) and records
/// them through <see cref="RetentionJob.ExpireConsentsAsync"/>: nothing is written at the instant a consent expires, and
/// matching learns of it only from that record. Every instance watches; the retention lock lets one record at a time.
/// </summary>
internal sealed class ConsentExpiryWatch(RetentionJob job, IOptions<RetentionPolicy> options, TimeProvider clock, ILogger<ConsentExpiryWatch> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WatchExpiries)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ExpiryCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await job.ExpireConsentsAsync(stoppingToken) is > 0 and var expired)
                {
                    logger.LogInformation("Recorded {Expired} expired consent(s).", expired);
                }
            }
            catch (Npgsql.NpgsqlException e)
            {
                logger.LogWarning(e, "The consent expiry watch failed; it looks again at the next interval.");
            }
        }
    }
}
