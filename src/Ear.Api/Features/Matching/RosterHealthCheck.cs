using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ear.Api.Features.Matching;

/// <summary>
/// Readiness: the matching roster is loaded (a load balancer should not send matching requests to an
/// instance still reading a million experts). The check brings the roster up to date like a matching
/// request would, waiting for a load under way at most <see cref="Wait"/>; the load goes on when the
/// probe gives up, so a later probe finds it done.
/// </summary>
internal sealed class RosterHealthCheck(RosterSnapshot roster) : IHealthCheck
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var size = await roster.ReadAsync(current => current.Count, CancellationToken.None).WaitAsync(Wait, cancellationToken);
            return HealthCheckResult.Healthy("The matching roster is loaded.", new Dictionary<string, object> { ["roster"] = $"loaded, {size} experts" });
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The matching roster is still loading.");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException)
        {
            return HealthCheckResult.Unhealthy("The matching roster could not be brought up to date: the database is unavailable.", e);
        }
    }
}
