using Ear.Api.Features.Changes;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Webhooks;

/// <summary>A webhook subscription to make.</summary>
/// <param name="Url">Where to POST each event: an absolute http or https URL (not a private network address unless Ear:Webhooks:AllowPrivateNetworks).</param>
/// <param name="EventTypes">The event types to send (at least one).</param>
/// <param name="Secret">The signing secret, whsec_ and base64 of 24 to 64 random bytes; absent: EAR makes one.</param>
internal sealed record WebhookSubscriptionRequest(
    [property: RequestRequired] string? Url,
    [property: RequestRequired] IReadOnlyList<string>? EventTypes,
    string? Secret);

/// <summary>A webhook subscription, without its secret.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">Which events.</param>
/// <param name="CreatedAt">When it was made: it receives the events that commit from then on.</param>
internal sealed record WebhookSubscriptionResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt);

/// <summary>The new subscription and, this once, its signing secret.</summary>
/// <param name="Subscription">The subscription.</param>
/// <param name="Secret">The secret that signs every delivery (webhook-signature); it cannot be read again.</param>
internal sealed record CreatedWebhookSubscription(WebhookSubscriptionResponse Subscription, string Secret);

/// <summary>One event's delivery to one subscription.</summary>
/// <param name="Id">The delivery's id (for a re-send).</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="EventId">The event's id, sent as webhook-id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Status">pending (not yet delivered, or between retries), delivered (a 2xx answer) or dead_lettered (every attempt failed).</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastError">Why the last failed attempt failed; null after success.</param>
/// <param name="LastStatusCode">The HTTP status of the last answer, if any.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried next.</param>
/// <param name="CreatedAt">When the event was queued for this subscription.</param>
/// <param name="DeliveredAt">When it was delivered.</param>
internal sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid SubscriptionId,
    Guid EventId,
    [property: OneOf(typeof(ChangeTypes), nameof(ChangeTypes.All))] string EventType,
    [property: OneOf(typeof(WebhookDeliveryStatuses), nameof(WebhookDeliveryStatuses.All))] string Status,
    int Attempts,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>A page of deliveries, newest event first.</summary>
/// <param name="Items">The deliveries.</param>
/// <param name="NextCursor">Pass as cursor for the next (older) page; null on the last.</param>
internal sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryResponse> Items, string? NextCursor);

/// <summary>The query of the delivery listing.</summary>
internal sealed record WebhookDeliveryParameters
{
    /// <summary>Only deliveries in this status.</summary>
    [FromQuery(Name = "status"), OneOf(typeof(WebhookDeliveryStatuses), nameof(WebhookDeliveryStatuses.All))] public string? Status { get; init; }

    /// <summary>The nextCursor of the previous page.</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// <summary>Deliveries a page, 1 to 200 (default 50).</summary>
    [FromQuery(Name = "limit"), WireFormat(Type = "integer", Minimum = 1, Maximum = 200)] public string? Limit { get; init; }
}

internal static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string DeadLettered = "dead_lettered";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, DeadLettered];
}
