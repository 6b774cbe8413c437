using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.Changes;

/// <summary>
/// Keeps the change feed to Changes:RetentionDays (default 30): every hour the oldest commits go, with their
/// events, and the horizon moves up so that a cursor into the trimmed part is answered 410 rather than
/// silently skipping; never past an event a webhook subscription has not queued yet. Webhook deliveries delivered that long ago go too (dead-lettered ones stay until re-sent or
/// their subscription is deleted). Each instance trims; the statements are idempotent.
/// </summary>
internal sealed class ChangeFeedTrim(ReadReplicas replicas, IConfiguration configuration, ILogger<ChangeFeedTrim> logger) : BackgroundService
{
    public const int DefaultRetentionDays = 30;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = TimeSpan.FromDays(configuration.GetValue("Ear:Changes:RetentionDays", DefaultRetentionDays));
        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await TrimAsync(replicas.Primary, retention, stoppingToken);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "The change feed could not be trimmed; the next hour tries again.");
            }
        }
        while (await hourly.WaitForNextTickAsync(stoppingToken));
    }

    public static async Task TrimAsync(NpgsqlDataSource primary, TimeSpan retention, CancellationToken cancellationToken)
    {
        // A prefix of positions, so that the horizon says exactly what is gone; never past what a webhook
        // subscription has still to queue (its instances may all have been down longer than the retention), or it
        // would skip those events without a word. Strictly before it: a cursor may stop inside its commit (a batch
        // of queued deliveries ends there), and the rest of that commit is still to queue.
        const string sql = """
            WITH cut AS (SELECT max(position) AS through FROM change_commits
                         WHERE committed_at < now() - @retention
                           AND position < coalesce((SELECT min(cursor_position) FROM webhook_subscriptions), position + 1)),
            gone AS (DELETE FROM change_commits c USING cut WHERE c.position <= cut.through RETURNING c.xid, c.position),
            events AS (DELETE FROM change_events e USING gone WHERE e.xid = gone.xid RETURNING gone.position, e.seq),
            last AS (SELECT position, seq FROM events ORDER BY position DESC, seq DESC LIMIT 1)
            UPDATE change_feed_horizon h SET trimmed_through = last.position, trimmed_seq = last.seq
            FROM last WHERE (last.position, last.seq) > (h.trimmed_through, h.trimmed_seq);
            DELETE FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < now() - @retention;
            """;
        await using var command = primary.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("retention", retention));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
