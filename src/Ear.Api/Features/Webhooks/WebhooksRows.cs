namespace Ear.Api.Features.Webhooks;

internal sealed record WebhookSubscriptionRow
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string[] EventTypes { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What the dispatcher needs of a subscription: the secret and how far deliveries were queued.</summary>
internal sealed record WebhookTargetRow
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string[] EventTypes { get; init; } = [];
    public string Secret { get; init; } = "";
    public long CursorPosition { get; init; }
    public long CursorSeq { get; init; }
}

internal sealed record WebhookDeliveryRow
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public Guid EventId { get; init; }
    public long Position { get; init; }
    public long Seq { get; init; }
    public string EventType { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public int? LastStatusCode { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>A delivery to attempt: its row and the exact body to send.</summary>
internal sealed record WebhookDueRow
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string Body { get; init; } = "";
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
}
