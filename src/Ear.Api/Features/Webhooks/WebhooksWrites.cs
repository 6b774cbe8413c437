using Dapper;
using Ear.Api.Features.Changes;
using Npgsql;

namespace Ear.Api.Features.Webhooks;

internal static class WebhooksWrites
{
    /// <summary>How many feed events one queuing step reads: deliveries are queued a batch at a time.</summary>
    private const int QueueBatch = 500;

    /// <summary>
    /// Makes a subscription that starts at the feed's newest visible commit: it receives what commits after it.
    /// A commit still in flight has a higher position (positions become visible in order), so none is lost.
    /// </summary>
    public static Task<WebhookSubscriptionRow> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid id, string url, IReadOnlyList<string> eventTypes, string secret, Guid createdBy, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<WebhookSubscriptionRow>(new CommandDefinition($"""
            INSERT INTO webhook_subscriptions (id, url, event_types, secret, created_at, created_by, cursor_position, cursor_seq)
            SELECT @id, @url, @eventTypes, @secret, now(), @createdBy, coalesce(max(position), 0), {long.MaxValue}
            FROM change_commits
            RETURNING {WebhooksQueries.SubscriptionColumns}
            """, new { id, url, eventTypes = eventTypes.ToArray(), secret, createdBy }, transaction, cancellationToken: cancellationToken));

    public static async Task<bool> DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_subscriptions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>
    /// Turns the feed's next events into pending deliveries of the subscription and moves its cursor past them, in one
    /// transaction (the subscription row locked): each event is queued once, whoever queues. Null when the subscription is gone.
    /// </summary>
    public static async Task<int?> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var target = await connection.QuerySingleOrDefaultAsync<WebhookTargetRow>(new CommandDefinition("""
            SELECT id, url, event_types, secret, cursor_position, cursor_seq FROM webhook_subscriptions WHERE id = @subscriptionId FOR UPDATE
            """, new { subscriptionId }, transaction, cancellationToken: cancellationToken));
        if (target is null)
        {
            return null;
        }

        var events = await ChangesQueries.AfterAsync(connection, new ChangeCursor(target.CursorPosition, target.CursorSeq), types: null,
            scopeMemberState: null, QueueBatch, cancellationToken, transaction);
        if (events.Count == 0)
        {
            return 0;
        }

        var wanted = events.Where(e => target.EventTypes.Contains(e.Type)).ToList();
        const string queue = """
            INSERT INTO webhook_deliveries (id, subscription_id, event_id, position, seq, event_type, body, status, next_attempt_at)
            SELECT gen_random_uuid(), @subscriptionId, e.event_id, e.position, e.seq, e.event_type, e.body, 'pending', now()
            FROM unnest(@eventIds, @positions, @seqs, @types, @bodies) AS e(event_id, position, seq, event_type, body)
            ON CONFLICT (subscription_id, event_id) DO NOTHING;
            UPDATE webhook_subscriptions SET cursor_position = @lastPosition, cursor_seq = @lastSeq WHERE id = @subscriptionId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(queue, new
        {
            subscriptionId,
            eventIds = wanted.Select(e => e.Id).ToArray(),
            positions = wanted.Select(e => e.Position).ToArray(),
            seqs = wanted.Select(e => e.Seq).ToArray(),
            types = wanted.Select(e => e.Type).ToArray(),
            bodies = wanted.Select(e => ChangeMapping.ToJson(ChangeMapping.ToEvent(e))).ToArray(),
            lastPosition = events[^1].Position,
            lastSeq = events[^1].Seq,
        }, transaction, cancellationToken: cancellationToken));
        return wanted.Count;
    }

    /// <summary>Records one attempt's outcome: delivered, still pending until <paramref name="nextAttemptAt"/>, or dead-lettered.</summary>
    public static Task RecordAttemptAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid deliveryId, string status, int attempts, string? error, int? statusCode,
        DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries
            SET status = @status, attempts = @attempts, last_error = @error, last_status_code = @statusCode, next_attempt_at = @nextAttemptAt,
                delivered_at = CASE WHEN @status = 'delivered' THEN now() END
            WHERE id = @deliveryId
            """, new { deliveryId, status, attempts, error, statusCode, nextAttemptAt }, transaction, cancellationToken: cancellationToken));

    /// <summary>Puts a delivery back in the queue with a fresh count of attempts; it goes out before any newer event.</summary>
    public static Task<WebhookDeliveryRow?> ResendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid subscriptionId, Guid deliveryId,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(new CommandDefinition($"""
            UPDATE webhook_deliveries
            SET status = 'pending', attempts = 0, last_error = NULL, last_status_code = NULL, next_attempt_at = now(), delivered_at = NULL
            WHERE id = @deliveryId AND subscription_id = @subscriptionId
            RETURNING {WebhooksQueries.DeliveryColumns}
            """, new { subscriptionId, deliveryId }, transaction, cancellationToken: cancellationToken));
}
