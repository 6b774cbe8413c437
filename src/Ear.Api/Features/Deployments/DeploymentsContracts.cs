namespace Ear.Api.Features.Deployments;

/// <summary>Deploy an expert on an activity; from and to default to the activity's dates and must lie inside them.</summary>
internal sealed record DeploymentRequest(Guid? ExpertId, string? Role, DateOnly? From, DateOnly? To);

internal sealed record CancellationRequest(string? Reason);

/// <summary>rating 1 (poor) to 5 (excellent); recommendation redeploy, redeploy_other_area or do_not_redeploy.</summary>
internal sealed record EvaluationRequest(int? Rating, string? Recommendation, string? Comment);

internal sealed record EvaluationResponse(int Rating, string Recommendation, string? Comment, DateTimeOffset EvaluatedAt);

internal sealed record CancellationResponse(DateTimeOffset At, Guid? By, string? Reason);

internal sealed record DeploymentAction(Guid Id, string Code, string Title, IReadOnlyList<string> BeneficiaryCountries, string? Region, IReadOnlyList<string> Themes);

internal sealed record DeploymentActivity(Guid Id, string Type, string Title, string? Country);

internal sealed record DeploymentResponse(
    Guid Id,
    Guid ExpertId,
    string Role,
    DateOnly From,
    DateOnly To,
    /// <summary>active or cancelled.</summary>
    string Status,
    CancellationResponse? Cancellation,
    DeploymentAction Action,
    DeploymentActivity Activity,
    EvaluationResponse? Evaluation);

/// <summary>A deployment named in a refusal: enough to find it and see its days.</summary>
internal sealed record DeploymentSummary(Guid Id, Guid ActionId, string ActionCode, Guid ActivityId, DateOnly From, DateOnly To);
