using Dapper;
using Ear.Api.Features.Changes;
using Npgsql;

namespace Ear.Api.Features.Webhooks;

internal static class WebhooksQueries
{
    internal const string SubscriptionColumns = "id, url, event_types, created_at";

    internal const string DeliveryColumns = """
        id, subscription_id, event_id, position, seq, event_type, status, attempts, last_error, last_status_code,
        next_attempt_at, created_at, delivered_at
        """;

    public static async Task<IReadOnlyList<WebhookSubscriptionRow>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<WebhookSubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM webhook_subscriptions ORDER BY created_at, id", cancellationToken: cancellationToken))).AsList();

    public static Task<WebhookSubscriptionRow?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<WebhookSubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM webhook_subscriptions WHERE id = @id", new { id }, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<Guid>> SubscriptionIdsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition("SELECT id FROM webhook_subscriptions", cancellationToken: cancellationToken))).AsList();

    /// <summary>Newest event first; <paramref name="before"/> is the feed place of the previous page's last delivery.</summary>
    public static async Task<IReadOnlyList<WebhookDeliveryRow>> DeliveriesAsync(NpgsqlConnection connection, Guid subscriptionId, string? status,
        ChangeCursor? before, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {DeliveryColumns} FROM webhook_deliveries
            WHERE subscription_id = @subscriptionId
              AND (@status::text IS NULL OR status = @status::text)
              AND (@hasBefore = false OR (position, seq) < (@position, @seq))
            ORDER BY position DESC, seq DESC
            LIMIT @limit
            """;
        return (await connection.QueryAsync<WebhookDeliveryRow>(new CommandDefinition(sql, new
        {
            subscriptionId, status, hasBefore = before.HasValue, position = before?.Position ?? 0, seq = before?.Seq ?? 0, limit,
        }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The first undelivered event in feed order: only it may be sent, so that a subscriber sees events in commit order.</summary>
    public static Task<WebhookDueRow?> HeadAsync(NpgsqlConnection connection, Guid subscriptionId, CancellationToken cancellationToken) =>
        connection.QueryFirstOrDefaultAsync<WebhookDueRow>(new CommandDefinition("""
            SELECT d.id, d.event_id, d.attempts, d.next_attempt_at, d.body, s.url, s.secret
            FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.subscription_id = @subscriptionId AND d.status = 'pending'
            ORDER BY d.position, d.seq
            LIMIT 1
            """, new { subscriptionId }, cancellationToken: cancellationToken));
}
