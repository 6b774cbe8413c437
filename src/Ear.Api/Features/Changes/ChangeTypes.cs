namespace Ear.Api.Features.Changes;

/// <summary>
/// The event types of the change feed and the webhooks: the name, what it announces. The triggers of migration
/// 0021 write them; validation, the OpenAPI enum and the README read this table.
/// </summary>
internal static class ChangeTypes
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["expert.created"] = "An expert was added to the roster. data: expertId, consentGiven.",
        ["expert.updated"] = "An expert's profile was written. data: expertId, changedFields (column names, never values).",
        ["expert.erased"] = "An expert's personal data was erased. data: expertId only.",
        ["consent.changed"] = "An expert's recorded consent changed. data: expertId, consentGiven, changedFields.",
        ["cv_version.added"] = "A CV version was stored for an expert. data: expertId, version.",
        ["action.created"] = "An action was created. data: actionId, code, status.",
        ["action.updated"] = "An action's fields were written. data: actionId, changedFields.",
        ["action.status_changed"] = "An action moved to another status. data: actionId, from, to.",
        ["activity.added"] = "An activity was added to an action. data: activityId, actionId, activityType.",
        ["deployment.created"] = "An expert was deployed on an activity. data: deploymentId, expertId, activityId.",
        ["deployment.cancelled"] = "A deployment was cancelled. data: deploymentId, expertId, activityId.",
        ["deployment.evaluated"] = "A deployment's evaluation was stored. data: deploymentId, expertId.",
        ["matching_run.stored"] = "A matching proposal was stored. data: runId, actionId.",
    };

    public static readonly IReadOnlyList<string> Names = [.. All.Keys];
}
