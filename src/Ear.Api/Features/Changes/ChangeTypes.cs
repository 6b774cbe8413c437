namespace Ear.Api.Features.Changes;

/// <summary>
/// The event types of the change feed and the webhooks: the name, what it announces, and the members of its data.
/// The triggers of migration 0021 write them; validation, the OpenAPI enum and per-type schemas, and the README read this table.
/// </summary>
internal static class ChangeTypes
{
    /// <summary>One event type: what it announces and which members of <see cref="ChangeData"/> it always carries (camelCase).</summary>
    internal sealed record Entry(string Description, params string[] Data);

    public static readonly IReadOnlyDictionary<string, Entry> All = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        ["expert.created"] = new("An expert was added to the roster.", "expertId", "consentGiven"),
        ["expert.updated"] = new("An expert's profile was written: the names of the changed columns, never their values.", "expertId", "changedFields"),
        ["expert.erased"] = new("An expert's personal data was erased (or the row deleted): the expert's id only.", "expertId"),
        ["consent.changed"] = new("An expert's consent to one purpose was granted, withdrawn or expired.", "expertId", "purpose", "consentState"),
        ["cv_version.added"] = new("A CV version was stored for an expert.", "expertId", "version"),
        ["action.created"] = new("An action was created.", "actionId", "code", "status"),
        ["action.updated"] = new("An action's fields were written: the names of the changed columns.", "actionId", "changedFields"),
        ["action.status_changed"] = new("An action moved to another status.", "actionId", "from", "to"),
        ["activity.added"] = new("An activity was added to an action.", "activityId", "actionId", "activityType"),
        ["deployment.created"] = new("An expert was deployed on an activity.", "deploymentId", "expertId", "activityId"),
        ["deployment.cancelled"] = new("A deployment was cancelled.", "deploymentId", "expertId", "activityId"),
        ["deployment.evaluated"] = new("A deployment's evaluation was stored or changed.", "deploymentId", "expertId"),
        ["matching_run.stored"] = new("A matching proposal was stored.", "runId", "actionId"),
    };

    public static readonly IReadOnlyList<string> Names = [.. All.Keys];

    /// <summary>The name of the OpenAPI schema of one type's event: expert.created is ExpertCreatedEvent.</summary>
    public static string SchemaName(string type) =>
        string.Concat(type.Split('.', '_').Select(word => char.ToUpperInvariant(word[0]) + word[1..])) + "Event";
}
