using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Webhooks;

/// <summary>Subscriptions and deliveries as the API shows them: never the secret, nor a delivery's feed position.</summary>
internal sealed class WebhookMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<WebhookSubscriptionRow, WebhookSubscriptionResponse>();
        config.NewConfig<WebhookDeliveryRow, WebhookDeliveryResponse>();
    }

    public static WebhookSubscriptionResponse ToResponse(WebhookSubscriptionRow row) => row.Adapt<WebhookSubscriptionResponse>(MappingSetup.Configuration);

    public static WebhookDeliveryResponse ToResponse(WebhookDeliveryRow row) => row.Adapt<WebhookDeliveryResponse>(MappingSetup.Configuration);
}
