using Ear.Api.Features.Consent;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Retention;

/// <summary>The query of GET /reconfirmations.</summary>
internal sealed record ReconfirmationQuery
{
    /// <summary>Only this member state's experts (ISO 3166-1 alpha-2); a focal point always sees its own only.</summary>
    [FromQuery(Name = "memberState")] public string? MemberState { get; init; }
}

/// <summary>An expert whose profile is due for re-confirmation, with what a focal point needs to write to them.</summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="Email">E-mail address; null when none is recorded.</param>
/// <param name="MemberState">The nominating member state; null when none.</param>
/// <param name="State">Whether the profile is still matched (confirmed, due soon) or already suspended.</param>
/// <param name="ConfirmedAt">When the profile was last confirmed (or created).</param>
/// <param name="DueAt">When it becomes pending_reconfirmation: confirmedAt plus the policy's ReconfirmAfterMonths.</param>
/// <param name="PendingSince">When it became pending_reconfirmation; null while confirmed.</param>
/// <param name="ErasureAt">When retention erases it unless re-confirmed: pendingSince plus EraseAfterPendingMonths; null while confirmed.</param>
internal sealed record ReconfirmationDue(
    Guid ExpertId,
    string GivenName,
    string FamilyName,
    string? Email,
    string? MemberState,
    [property: OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.ProfileStates))] string State,
    DateTimeOffset ConfirmedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? PendingSince,
    DateTimeOffset? ErasureAt);

/// <summary>The body of POST /experts/{id}/reconfirm.</summary>
internal sealed record ReconfirmationRequest
{
    /// <summary>What the confirmation rests on.</summary>
    [RequestRequired, OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Bases))]
    public string? Basis { get; init; }

    /// <summary>Free text, at most 500 characters: how the confirmation reached MIEUX. Cleared by erasure.</summary>
    public string? Note { get; init; }
}

/// <summary>A recorded re-confirmation.</summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="ConfirmedAt">When it was recorded: the retention clock restarts here.</param>
/// <param name="ConfirmedBy">The API key that recorded it.</param>
/// <param name="Basis">What it rests on.</param>
/// <param name="State">The profile's state now: confirmed.</param>
/// <param name="DueAt">When the next re-confirmation is due.</param>
internal sealed record Reconfirmation(
    Guid ExpertId,
    DateTimeOffset ConfirmedAt,
    Guid ConfirmedBy,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Bases))] string Basis,
    [property: OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.ProfileStates))] string State,
    DateTimeOffset DueAt);
