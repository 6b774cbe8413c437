using Ear.Api.Platform.Database;

namespace Ear.Api.Features.Matching;

/// <summary>
/// With standbys, the matching roster may be loaded from one, where trim_roster_changes does nothing
/// (0017_several_instances.sql): this trims roster_changes from the primary every hour instead, with the
/// retention RosterSnapshot relies on (its ChangeLogRetention). Without standbys the roster's own reloads trim it.
/// </summary>
internal sealed class RosterChangeLogTrim(ReadReplicas replicas, ILogger<RosterChangeLogTrim> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!replicas.HasStandbys)
        {
            return;
        }

        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1));
        while (await hourly.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var command = replicas.Primary.CreateCommand("SELECT trim_roster_changes($1)");
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = RosterSnapshot.ChangeLogRetention });
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException e)
            {
                logger.LogWarning(e, "roster_changes could not be trimmed; the next hour tries again.");
            }
        }
    }
}
