using Ear.Api.Features.Changes;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Features.Webhooks;

/// <summary>
/// Describes what a subscriber receives. The committed document is OpenAPI 3.0, which has no top-level webhooks
/// (3.1 added them); its way to describe requests the API sends to a URL the client gave is a callback on the
/// operation that takes the URL: CreateWebhookSubscription gets the callback "event" at {$request.body#/url}, a POST
/// whose body is one of the per-type event schemas (ExpertCreatedEvent, …; each ChangeEvent with its type fixed and
/// its data members required) and whose headers carry the Standard Webhooks signature. Decision 0023.
/// </summary>
internal sealed class WebhookDocument : IDocumentFilter
{
    private const string EventSchema = nameof(ChangeEvent);
    private const string DataSchema = nameof(ChangeData);

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas;
        if (schemas is null || !schemas.TryGetValue(DataSchema, out var data) || !schemas.TryGetValue(EventSchema, out var changeEvent))
        {
            return;
        }

        // Each a standalone copy of ChangeEvent (not allOf it): the generated clients make one plain class per schema.
        foreach (var (type, entry) in ChangeTypes.All)
        {
            var properties = new Dictionary<string, IOpenApiSchema>(changeEvent.Properties!)
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [System.Text.Json.Nodes.JsonValue.Create(type)],
                    Description = entry.Description,
                },
                ["data"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = $"What changed: {string.Join(", ", entry.Data)}; never personal data.",
                    Required = entry.Data.ToHashSet(),
                    Properties = entry.Data.ToDictionary(member => member, member => data.Properties![member]),
                },
            };
            schemas[ChangeTypes.SchemaName(type)] = new OpenApiSchema
            {
                Description = $"{type}: {entry.Description}",
                Type = JsonSchemaType.Object,
                Required = changeEvent.Required,
                Properties = properties,
            };
        }

        var create = swaggerDoc.Paths["/api/v1/webhooks/subscriptions"].Operations![HttpMethod.Post];
        var callback = new OpenApiCallback();
        callback.AddPathItem(RuntimeExpression.Build("{$request.body#/url}"), new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = Delivery(swaggerDoc),
            },
        });
        create.Callbacks = new Dictionary<string, IOpenApiCallback> { ["event"] = callback };

        // The same request as a webhook, under x-webhooks: Redoc's name for 3.1's webhooks in a 3.0 document, which
        // documentation tools list beside the paths. Written out here because the 3.0 writer drops Webhooks.
        var delivery = Delivery(swaggerDoc);
        delivery.OperationId = "ChangeEventWebhook"; // operation ids are unique across callbacks and webhooks alike
        var webhook = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = delivery } };
        using var text = new StringWriter();
        webhook.SerializeAsV3(new OpenApiJsonWriter(text));
        swaggerDoc.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        swaggerDoc.Extensions["x-webhooks"] = new JsonNodeExtension(new JsonObject { ["changeEvent"] = JsonNode.Parse(text.ToString()) });
    }

    private static OpenApiOperation Delivery(OpenApiDocument document) => new()
    {
        OperationId = "ReceiveChangeEvent",
        // No API key: the subscriber authenticates EAR by the signature.
        Security = [],
        Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
        Summary = "What EAR POSTs to a subscription's URL for each event of its types.",
        Description = "One event a request, in commit order, one at a time per subscription, at least once: de-duplicate by webhook-id. " +
            "Verify webhook-signature before trusting the body: base64 of HMAC-SHA256, keyed with the base64-decoded part of the " +
            "whsec_ secret after the prefix, over \"{webhook-id}.{webhook-timestamp}.{body}\" (the body's exact bytes); reject old timestamps to stop replays. " +
            "Any 2xx marks the delivery delivered; anything else, or no answer within Ear:Webhooks:TimeoutSeconds, is retried with exponential " +
            "backoff and later events wait behind it, until Ear:Webhooks:MaxAttempts dead-letters it.",
        Parameters =
        [
            Header("webhook-id", "The event's id, the same on every attempt and in the change feed.", "0196f1a2-7c3e-7d41-9a5b-2f8e4c6d1a0b"),
            Header("webhook-timestamp", "When this attempt was signed, in seconds since 1970-01-01 UTC.", "1795420800"),
            Header("webhook-signature", "v1, a comma, and the base64 HMAC-SHA256 signature.", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The event, exactly as the change feed lists it.",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        OneOf = [.. ChangeTypes.Names.Select(type => (IOpenApiSchema)new OpenApiSchemaReference(ChangeTypes.SchemaName(type), document))],
                    },
                },
            },
        },
        Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = "Received (any 2xx will do): the delivery is recorded as delivered." },
            ["400"] = new OpenApiResponse { Description = "Refused (as is any status but 2xx): the attempt failed and is retried with backoff." },
        },
    };

    private static OpenApiParameter Header(string name, string description, string example) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = System.Text.Json.Nodes.JsonValue.Create(example),
    };
}
