using System.Text.Json.Serialization;
using Ear.Api.Features.Consent;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Changes;

/// <summary>The query of GET /api/v1/changes.</summary>
internal sealed record ChangeFeedParameters
{
    /// <summary>The next of the previous answer; absent: from the oldest change kept (Changes:RetentionDays).</summary>
    [FromQuery(Name = "after")] public string? After { get; init; }

    /// <summary>Only these event types, comma-separated (or the parameter repeated); absent: every type.</summary>
    [FromQuery(Name = "types")] public string[]? Types { get; init; }

    /// <summary>Events an answer, 1 to 1000 (default 100).</summary>
    [FromQuery(Name = "limit"), WireFormat(Type = "integer", Minimum = 1, Maximum = 1000)] public string? Limit { get; init; }

    /// <summary>
    /// Long-poll: when nothing is newer than after, wait up to this many seconds (0 to 30, an optional trailing s:
    /// 30s) for a change to commit, and answer as soon as one does. Default 0: answer at once.
    /// </summary>
    [FromQuery(Name = "wait"), WireFormat(MaxLength = 3)] public string? Wait { get; init; }
}

/// <summary>What changed in an event. Which members are present depends on the type (see ChangeEvent.type); none holds personal data.</summary>
/// <param name="ExpertId">The expert concerned (expert.*, consent.changed, cv_version.added, deployment.*).</param>
/// <param name="ActionId">The action concerned (action.*, activity.added, matching_run.stored).</param>
/// <param name="ActivityId">The activity (activity.added, deployment.created, deployment.cancelled).</param>
/// <param name="DeploymentId">The deployment (deployment.*).</param>
/// <param name="RunId">The stored matching run (matching_run.stored).</param>
/// <param name="Version">The CV version number (cv_version.added).</param>
/// <param name="Code">The action's code (action.created).</param>
/// <param name="Status">The action's status when created (action.created).</param>
/// <param name="From">The status before (action.status_changed).</param>
/// <param name="To">The status after (action.status_changed).</param>
/// <param name="ActivityType">The kind of activity (activity.added).</param>
/// <param name="ConsentGiven">Whether the expert was created with consent to roster membership (expert.created).</param>
/// <param name="Purpose">The purpose whose consent changed (consent.changed).</param>
/// <param name="ConsentState">The consent's state after the change: granted, withdrawn or expired (consent.changed).</param>
/// <param name="ChangedFields">The names of the columns that changed (expert.updated, action.updated), never their values. An expert.updated with none listed rewrote the profile's languages, themes or unavailability, or nothing.</param>
internal sealed record ChangeData(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ExpertId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ActionId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ActivityId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? DeploymentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? RunId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? From = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ActivityType = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ConsentGiven = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))] string? Purpose = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.States))] string? ConsentState = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ChangedFields = null);

/// <summary>One committed change, as the feed lists it and a webhook delivers it.</summary>
/// <param name="Id">The event's id: stable, the same in the feed and in every delivery (the webhook-id header); de-duplicate by it.</param>
/// <param name="Type">What happened.</param>
/// <param name="ResourceType">expert, action, activity, deployment or matching_run: what resourceId names. Events of one resource come in the order they committed.</param>
/// <param name="ResourceId">The resource that changed.</param>
/// <param name="MemberState">For an event about an expert, the expert's nominating member state (null for actions and for experts without one).</param>
/// <param name="KeyId">The API key whose request made the change; null for a change made outside the API.</param>
/// <param name="OccurredAt">When the changing transaction started.</param>
/// <param name="CommittedAt">When it committed.</param>
/// <param name="Data">Ids and the names of changed fields; never personal data.</param>
internal sealed record ChangeEvent(
    Guid Id,
    [property: OneOf(typeof(ChangeTypes), nameof(ChangeTypes.All))] string Type,
    string ResourceType,
    Guid ResourceId,
    string? MemberState,
    Guid? KeyId,
    DateTimeOffset OccurredAt,
    DateTimeOffset CommittedAt,
    ChangeData Data);

/// <summary>Changes in commit order after a cursor.</summary>
/// <param name="Items">The events, oldest commit first; empty when nothing newer committed (within wait).</param>
/// <param name="Next">The cursor to pass as after next time: past the last item, or the cursor given when there is none. Opaque, and valid on every instance and after restarts.</param>
internal sealed record ChangePage(IReadOnlyList<ChangeEvent> Items, string Next);
