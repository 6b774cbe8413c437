using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Deployments;

/// <summary>
/// A deployment row as the API shows it, here rather than in <see cref="DeploymentsApi"/> because the expert
/// features (a refusal's clashing deployments, the data export) show deployments too.
/// </summary>
internal sealed class DeploymentMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<DeploymentRow, DeploymentResponse>()
            .Map(response => response.Status, row => row.CancelledAt == null ? "active" : "cancelled")
            .Map(response => response.Cancellation, row => row.CancelledAt == null ? null : new CancellationResponse(row.CancelledAt.Value, row.CancelledBy, row.CancelReason))
            .Map(response => response.Action, row => new DeploymentAction(row.ActionId, row.ActionCode, row.ActionTitle, row.BeneficiaryCountries, row.Region, row.Themes))
            .Map(response => response.Activity, row => new DeploymentActivity(row.ActivityId, row.ActivityType, row.ActivityTitle, row.ActivityCountry))
            .Map(response => response.Evaluation, row => row.Rating == null ? null : new EvaluationResponse(row.Rating.Value, row.Recommendation!, row.Comment, row.EvaluatedAt!.Value));
        config.NewConfig<DeploymentRow, DeploymentSummary>();
    }

    public static DeploymentResponse ToResponse(DeploymentRow row) => row.Adapt<DeploymentResponse>(MappingSetup.Configuration);

    public static DeploymentSummary ToSummary(DeploymentRow row) => row.Adapt<DeploymentSummary>(MappingSetup.Configuration);
}
