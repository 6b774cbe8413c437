namespace Ear.Api.Features.Matching;

/// <summary>
/// Loads the matching roster in the background as the service starts, so that the first matching
/// request does not wait for it (seconds at a hundred thousand experts). A failure is only logged:
/// the first request then loads it.
/// </summary>
internal sealed class RosterWarmUp(RosterSnapshot roster, ILogger<RosterWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await roster.ReadAsync(current => current.Count, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The matching roster could not be loaded at start; the first matching request will load it.");
        }
    }
}
