using Ear.Api.Auth;
using Ear.Api.Features.Changes;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Features.Webhooks;

internal static class WebhooksApi
{
    public static void MapWebhooks(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup("/api/v1/webhooks/subscriptions").WithTags("Webhooks").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        subscriptions.MapPost("/", CreateAsync).WithName("CreateWebhookSubscription")
            .WithSummary("Subscribe a URL to event types. The signing secret is in this answer only.")
            .WithDescription("Admins. EAR POSTs each event of those types that commits from now on, as the change feed lists it, " +
                "with the Standard Webhooks headers webhook-id (the event id: de-duplicate by it), webhook-timestamp and webhook-signature " +
                "(v1, and base64 of HMAC-SHA256 over \"{webhook-id}.{webhook-timestamp}.{body}\" keyed with the base64 part of the whsec_ secret). " +
                "At least once, in commit order, one at a time; a failed attempt is retried with exponential backoff and the delivery " +
                "dead-lettered after Ear:Webhooks:MaxAttempts. The URL must be absolute http or https, and not a private network address " +
                "unless Ear:Webhooks:AllowPrivateNetworks.");
        subscriptions.MapGet("/", ListAsync).WithName("ListWebhookSubscriptions")
            .WithSummary("Every webhook subscription, without secrets.")
            .WithDescription("Admins.");
        subscriptions.MapGet("/{id:guid}", GetAsync).WithName("GetWebhookSubscription")
            .WithSummary("One webhook subscription, without its secret.")
            .WithDescription("Admins.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhookSubscription")
            .WithSummary("Stop a subscription and forget its deliveries.")
            .WithDescription("Admins. An attempt under way may still arrive.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapGet("/{id:guid}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("A subscription's deliveries, newest event first: status, attempts, last error.")
            .WithDescription("Admins.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/resend", ResendAsync).WithName("ResendWebhookDelivery")
            .WithSummary("Send a delivery again (a dead-lettered one, say), with a fresh count of attempts.")
            .WithDescription("Admins. It goes out before any newer event of the subscription, with the same webhook-id.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Created<CreatedWebhookSubscription>, ValidationProblem>> CreateAsync(
        WebhookSubscriptionRequest request, Caller caller, Db db, WebhookOptions options, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (url, eventTypes, secret) = Validate(request, options, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var row = await db.InTransactionAsync(
            (connection, transaction, token) => WebhooksWrites.InsertAsync(connection, transaction, Guid.CreateVersion7(), url!, eventTypes!, secret!, caller.KeyId, token),
            cancellationToken);
        return TypedResults.Created($"/api/v1/webhooks/subscriptions/{row.Id}", new CreatedWebhookSubscription(WebhookMapping.ToResponse(row), secret!));
    }

    private static (string? Url, IReadOnlyList<string>? EventTypes, string? Secret) Validate(
        WebhookSubscriptionRequest request, WebhookOptions options, ValidationErrors errors)
    {
        var url = Fields.RequiredText(errors, "url", request.Url, 2000);
        if (url is not null && WebhookAddresses.Refusal(url, options.AllowPrivateNetworks) is { } refusal)
        {
            errors.Add("url", refusal);
        }

        IReadOnlyList<string>? eventTypes = null;
        if (request.EventTypes is not { Count: > 0 })
        {
            errors.Add("eventTypes", $"At least one of {string.Join(", ", ChangeTypes.Names)}.");
        }
        else
        {
            for (var i = 0; i < request.EventTypes.Count; i++)
            {
                if (!ChangeTypes.All.ContainsKey(request.EventTypes[i] ?? ""))
                {
                    errors.Add($"eventTypes[{i}]", $"'{Fields.Shorten(request.EventTypes[i])}' is not an event type; known: {string.Join(", ", ChangeTypes.Names)}.");
                }
            }

            eventTypes = [.. request.EventTypes.Distinct()];
        }

        var secret = request.Secret ?? WebhookSignature.NewSecret();
        if (secret.Length > 100 || WebhookSignature.Key(secret) is null)
        {
            errors.Add("secret", $"whsec_ followed by base64 of {WebhookSignature.MinSecretBytes} to {WebhookSignature.MaxSecretBytes} random bytes; or leave it out and EAR makes one.");
        }

        return (url, eventTypes, secret);
    }

    private static async Task<Ok<IReadOnlyList<WebhookSubscriptionResponse>>> ListAsync(Db db, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<WebhookSubscriptionResponse>>(
            (await db.ReadAsync(WebhooksQueries.ListAsync, cancellationToken)).Select(WebhookMapping.ToResponse).ToList());

    private static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> GetAsync(Guid id, Db db, CancellationToken cancellationToken) =>
        await db.ReadAsync((connection, token) => WebhooksQueries.GetAsync(connection, id, token), cancellationToken) is { } row
            ? TypedResults.Ok(WebhookMapping.ToResponse(row))
            : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Db db, CancellationToken cancellationToken) =>
        await db.InTransactionAsync((connection, transaction, token) => WebhooksWrites.DeleteAsync(connection, transaction, id, token), cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(id);

    private static async Task<Results<Ok<WebhookDeliveryPage>, ValidationProblem, ProblemHttpResult>> ListDeliveriesAsync(
        Guid id, [AsParameters] WebhookDeliveryParameters query, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (_, limit) = Paging.Read(errors, cursor: null, query.Limit);
        var status = Fields.OneOf(errors, "status", query.Status, WebhookDeliveryStatuses.All, required: false);
        ChangeCursor? before = null;
        if (query.Cursor is not null && (before = ChangeCursor.Decode(query.Cursor)) is null)
        {
            errors.Add("cursor", "Not a cursor this API issued: pass the nextCursor of the previous page unchanged.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await db.ReadAsync((connection, token) => WebhooksQueries.GetAsync(connection, id, token), cancellationToken) is null)
        {
            return NotFound(id);
        }

        var rows = await db.ReadAsync((connection, token) => WebhooksQueries.DeliveriesAsync(connection, id, status, before, limit + 1, token), cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new ChangeCursor(page[^1].Position, page[^1].Seq).Encode() : null;
        return TypedResults.Ok(new WebhookDeliveryPage(page.Select(WebhookMapping.ToResponse).ToList(), next));
    }

    private static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> ResendAsync(
        Guid id, Guid deliveryId, Db db, CancellationToken cancellationToken) =>
        await db.InTransactionAsync((connection, transaction, token) => WebhooksWrites.ResendAsync(connection, transaction, id, deliveryId, token), cancellationToken) is { } row
            ? TypedResults.Ok(WebhookMapping.ToResponse(row))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such delivery.", detail: $"Subscription {id} has no delivery {deliveryId}.");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook subscription.", detail: $"There is no subscription {id}.");
}

internal static class WebhooksSetup
{
    /// <summary>The options, the signing sender with its guarded HttpClient, and the dispatcher.</summary>
    public static void AddEarWebhooks(this WebApplicationBuilder builder)
    {
        var options = WebhookOptions.Read(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = (context, token) => WebhookAddresses.ConnectAsync(context, options.AllowPrivateNetworks, token),
            });
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        builder.Services.Configure<SwaggerGenOptions>(swagger => swagger.DocumentFilter<WebhookDocument>());
    }
}
