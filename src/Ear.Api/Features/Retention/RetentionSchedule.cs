using Microsoft.Extensions.Options;

namespace Ear.Api.Features.Retention;

/// <summary>
/// Runs the retention policy every 24 hours. Every instance schedules it; the advisory lock lets one run at a time, and
/// an instance that finds it taken waits for the next day, since the run that holds it does the same work.
/// </summary>
internal sealed class RetentionSchedule(RetentionJob job, IOptions<RetentionPolicy> options, TimeProvider clock, ILogger<RetentionSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Scheduled)
        {
            return;
        }

        await Task.Delay(options.Value.FirstRunAfter, clock, stoppingToken);
        using var daily = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            try
            {
                if (await job.RunAsync("schedule", null, stoppingToken) is null)
                {
                    logger.LogInformation("Retention: another instance is running it; this one waits for tomorrow.");
                }
            }
            catch (Npgsql.NpgsqlException e)
            {
                // What was done is recorded; what was not is still due and the next run does it.
                logger.LogError(e, "Retention run failed; the next run takes up what is still due.");
            }
        }
        while (await daily.WaitForNextTickAsync(stoppingToken));
    }
}
