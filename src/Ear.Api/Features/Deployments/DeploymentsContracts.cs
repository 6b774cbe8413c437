using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Deployments;

/// <summary>Deploy an expert on an activity; from and to default to the activity's dates and must lie inside them.</summary>
/// <param name="ExpertId">The expert to deploy: active, available and not deployed elsewhere on those days.</param>
/// <param name="Role">lead_expert or expert (the default).</param>
/// <param name="From">First day (YYYY-MM-DD); default the activity's first day.</param>
/// <param name="To">Last day (YYYY-MM-DD); default the activity's last day.</param>
internal sealed record DeploymentRequest(
    [property: RequestRequired] Guid? ExpertId,
    [property: OneOf(typeof(DeploymentsApi), nameof(DeploymentsApi.Roles))] string? Role,
    DateOnly? From,
    DateOnly? To);

/// <summary>Why a deployment is cancelled.</summary>
/// <param name="Reason">Kept with the deployment.</param>
internal sealed record CancellationRequest(string? Reason);

/// <summary>The evaluation of a deployment that has ended.</summary>
/// <param name="Rating">1 (poor) to 5 (excellent).</param>
/// <param name="Recommendation">Whether to deploy the expert again: do_not_redeploy excludes the expert from matching.</param>
/// <param name="Comment">Free text.</param>
internal sealed record EvaluationRequest(
    [property: RequestRequired, WireFormat(Minimum = 1, Maximum = 5)] int? Rating,
    [property: RequestRequired, OneOf(typeof(DeploymentsApi), nameof(DeploymentsApi.Recommendations))] string? Recommendation,
    string? Comment);

/// <summary>How a deployment went.</summary>
/// <param name="Rating">1 (poor) to 5 (excellent).</param>
/// <param name="Recommendation">Whether to deploy the expert again.</param>
/// <param name="Comment">Free text; null when none was given.</param>
/// <param name="EvaluatedAt">When the evaluation was last recorded.</param>
internal sealed record EvaluationResponse(
    [property: WireFormat(Minimum = 1, Maximum = 5)] int Rating,
    [property: OneOf(typeof(DeploymentsApi), nameof(DeploymentsApi.Recommendations))] string Recommendation,
    string? Comment,
    DateTimeOffset EvaluatedAt);

/// <summary>When and why a deployment was cancelled.</summary>
/// <param name="At">When.</param>
/// <param name="By">The API key that cancelled it; null when not recorded.</param>
/// <param name="Reason">Why, as given; null when none was.</param>
internal sealed record CancellationResponse(DateTimeOffset At, Guid? By, string? Reason);

/// <summary>The action a deployment serves.</summary>
/// <param name="Id">The action's id.</param>
/// <param name="Code">Its code.</param>
/// <param name="Title">Its title.</param>
/// <param name="BeneficiaryCountries">Its beneficiary countries (ISO 3166-1 alpha-2).</param>
/// <param name="Region">Its MIEUX region; null when none.</param>
/// <param name="Themes">Its theme codes.</param>
internal sealed record DeploymentAction(Guid Id, string Code, string Title, IReadOnlyList<string> BeneficiaryCountries, string? Region, IReadOnlyList<string> Themes);

/// <summary>The activity a deployment is on.</summary>
/// <param name="Id">The activity's id.</param>
/// <param name="Type">What kind of activity.</param>
/// <param name="Title">Its title.</param>
/// <param name="Country">Where it takes place; null when remote.</param>
internal sealed record DeploymentActivity(
    Guid Id,
    [property: OneOf(typeof(Actions.ActionValidation), nameof(Actions.ActionValidation.ActivityTypes))] string Type,
    string Title,
    string? Country);

/// <summary>An expert booked on an activity's days.</summary>
/// <param name="Id">The deployment's id.</param>
/// <param name="ExpertId">The expert deployed.</param>
/// <param name="Role">lead_expert or expert.</param>
/// <param name="From">First day.</param>
/// <param name="To">Last day.</param>
/// <param name="Status">active or cancelled.</param>
/// <param name="Cancellation">When and why it was cancelled; null unless cancelled.</param>
/// <param name="Action">The action.</param>
/// <param name="Activity">The activity.</param>
/// <param name="Evaluation">How it went; null until evaluated.</param>
internal sealed record DeploymentResponse(
    Guid Id,
    Guid ExpertId,
    [property: OneOf(typeof(DeploymentsApi), nameof(DeploymentsApi.Roles))] string Role,
    DateOnly From,
    DateOnly To,
    [property: OneOf(typeof(DeploymentsApi), nameof(DeploymentsApi.Statuses))] string Status,
    CancellationResponse? Cancellation,
    DeploymentAction Action,
    DeploymentActivity Activity,
    EvaluationResponse? Evaluation);

/// <summary>A deployment named in a refusal: enough to find it and see its days.</summary>
/// <param name="Id">The deployment's id.</param>
/// <param name="ActionId">Its action.</param>
/// <param name="ActionCode">Its action's code.</param>
/// <param name="ActivityId">Its activity.</param>
/// <param name="From">First day.</param>
/// <param name="To">Last day.</param>
internal sealed record DeploymentSummary(Guid Id, Guid ActionId, string ActionCode, Guid ActivityId, DateOnly From, DateOnly To);
