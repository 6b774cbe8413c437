using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Actions;

/// <summary>The body of POST and PUT /api/v1/actions: an action's description (its status moves through POST .../status).</summary>
internal sealed record ActionRequest
{
    /// <summary>Unique, e.g. MIEUX-2027-04 (capital letters, digits and hyphens, 3 to 40 characters).</summary>
    [RequestRequired] public string? Code { get; init; }

    /// <summary>The action's title, at most 300 characters.</summary>
    [RequestRequired] public string? Title { get; init; }

    /// <summary>The authority that asked for the action.</summary>
    public string? RequestingAuthority { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes; at least one, unless a regional organisation is the beneficiary.</summary>
    public IReadOnlyList<string>? BeneficiaryCountries { get; init; }

    /// <summary>A regional organisation that is the beneficiary, e.g. ECOWAS.</summary>
    public string? RegionalOrganisation { get; init; }

    /// <summary>A region code; when absent, the region all beneficiary countries share.</summary>
    public string? Region { get; init; }

    /// <summary>Theme codes (see GET /api/v1/themes).</summary>
    public IReadOnlyList<string>? Themes { get; init; }

    /// <summary>ISO 639-1 codes.</summary>
    public IReadOnlyList<string>? WorkingLanguages { get; init; }

    /// <summary>When the request reached MIEUX (YYYY-MM-DD).</summary>
    public DateOnly? RequestedAt { get; init; }

    /// <summary>When the action takes place; from is required when a period is given.</summary>
    public ActionPeriod? Period { get; init; }
}

/// <summary>Both ends included; To may stay open while the end is not known.</summary>
/// <param name="From">First day (YYYY-MM-DD).</param>
/// <param name="To">Last day (YYYY-MM-DD); null while not known.</param>
internal sealed record ActionPeriod([property: RequestRequired] DateOnly? From, DateOnly? To);

/// <summary>A move along the workflow.</summary>
/// <param name="To">The status to move to; it must be one of the action's allowedTransitions.</param>
/// <param name="Note">Why, kept in the status history.</param>
internal sealed record StatusChangeRequest(
    [property: RequestRequired, OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))] string? To,
    string? Note);

/// <summary>One step of an action's status history.</summary>
/// <param name="From">The status before; null for the first entry.</param>
/// <param name="To">The status after.</param>
/// <param name="Note">Why, as given with the change; null when none was.</param>
/// <param name="ChangedBy">The API key that made the change; null when made by the system (the demonstration data).</param>
/// <param name="ChangedAt">When.</param>
internal sealed record StatusChange(
    [property: OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))] string? From,
    [property: OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))] string To,
    string? Note,
    Guid? ChangedBy,
    DateTimeOffset ChangedAt);

/// <summary>An action: a request for peer-to-peer support, from request to completion.</summary>
internal sealed record ActionResponse
{
    /// <summary>The action's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Unique code, e.g. MIEUX-2027-04.</summary>
    public required string Code { get; init; }

    /// <summary>The action's title.</summary>
    public required string Title { get; init; }

    /// <summary>The authority that asked for the action; null when not recorded.</summary>
    public string? RequestingAuthority { get; init; }

    /// <summary>Beneficiary countries (ISO 3166-1 alpha-2).</summary>
    public required IReadOnlyList<string> BeneficiaryCountries { get; init; }

    /// <summary>A regional organisation that is the beneficiary; null when none.</summary>
    public string? RegionalOrganisation { get; init; }

    /// <summary>The MIEUX region; null when the beneficiary countries share none and none was given.</summary>
    public string? Region { get; init; }

    /// <summary>Theme codes.</summary>
    public required IReadOnlyList<string> Themes { get; init; }

    /// <summary>Working languages (ISO 639-1).</summary>
    public required IReadOnlyList<string> WorkingLanguages { get; init; }

    /// <summary>When the request reached MIEUX; null when not recorded.</summary>
    public DateOnly? RequestedAt { get; init; }

    /// <summary>When the action takes place; null while not known.</summary>
    public ActionPeriod? Period { get; init; }

    /// <summary>Where the action stands in its workflow.</summary>
    [OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))]
    public required string Status { get; init; }

    /// <summary>The statuses POST .../status may move this action to now.</summary>
    [OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))]
    public required IReadOnlyList<string> AllowedTransitions { get; init; }

    /// <summary>Every status change, oldest first.</summary>
    public required IReadOnlyList<StatusChange> StatusHistory { get; init; }

    /// <summary>When the action was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One page of actions.</summary>
/// <param name="Items">The actions on this page.</param>
/// <param name="NextCursor">Pass as cursor to read the next page; null on the last page.</param>
/// <param name="Total">How many actions match in all.</param>
internal sealed record ActionPage(IReadOnlyList<ActionResponse> Items, string? NextCursor, long Total);

/// <summary>An activity to add to an action, inside the action's period.</summary>
/// <param name="Type">What kind of activity.</param>
/// <param name="Title">The activity's title.</param>
/// <param name="From">First day (YYYY-MM-DD).</param>
/// <param name="To">Last day (YYYY-MM-DD), on or after from.</param>
/// <param name="Country">Where it takes place (ISO 3166-1 alpha-2): required unless remote, absent when remote.</param>
/// <param name="Remote">Whether it takes place remotely (default: true for remote_support, false otherwise).</param>
internal sealed record ActivityRequest(
    [property: RequestRequired, OneOf(typeof(ActionValidation), nameof(ActionValidation.ActivityTypes))] string? Type,
    [property: RequestRequired] string? Title,
    [property: RequestRequired] DateOnly? From,
    [property: RequestRequired] DateOnly? To,
    string? Country,
    bool? Remote);

/// <summary>An activity of an action.</summary>
/// <param name="Id">The activity's id.</param>
/// <param name="ActionId">The action it belongs to.</param>
/// <param name="Type">What kind of activity.</param>
/// <param name="Title">The activity's title.</param>
/// <param name="From">First day.</param>
/// <param name="To">Last day.</param>
/// <param name="Country">Where it takes place; null when remote or not recorded.</param>
/// <param name="Remote">Whether it takes place remotely.</param>
internal sealed record ActivityResponse(
    Guid Id,
    Guid ActionId,
    [property: OneOf(typeof(ActionValidation), nameof(ActionValidation.ActivityTypes))] string Type,
    string Title,
    DateOnly From,
    DateOnly To,
    string? Country,
    bool Remote);
