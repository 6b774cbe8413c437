using Ear.Api.Platform.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Ear.Api.Platform.Health;

/// <summary>
/// The database answers, and which role each data source reached, as the server itself says
/// (pg_is_in_recovery): writes should reach the primary, heavy reads a standby when there is one.
/// While no primary answers but a standby does (a failover under way), reads go on, writes get 503, and
/// the instance is still ready (writes: unavailable), since taking it out of the balancer would stop the reads too.
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource primary, ReadReplicas replicas) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string writes;
        try
        {
            writes = await RoleAsync(primary.OpenConnectionAsync(cancellationToken).AsTask(), cancellationToken);
        }
        catch (Exception e) when ((e is NpgsqlException or TimeoutException) && replicas.HasStandbys)
        {
            writes = "unavailable";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database is unavailable.", e);
        }

        try
        {
            var reads = replicas.HasStandbys ? await RoleAsync(replicas.OpenConnectionAsync(cancellationToken), cancellationToken) : writes;
            var data = new Dictionary<string, object> { ["writes"] = writes, ["reads"] = reads };
            return writes == "primary"
                ? HealthCheckResult.Healthy("The database answers.", data)
                : HealthCheckResult.Degraded("No primary answers: writes are refused until one does.", data: data);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database is unavailable.", e);
        }
    }

    private static async Task<string> RoleAsync(Task<NpgsqlConnection> opening, CancellationToken cancellationToken)
    {
        await using var connection = await opening;
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection) { CommandTimeout = 3 };
        return await command.ExecuteScalarAsync(cancellationToken) is true ? "standby" : "primary";
    }
}
