using Ear.Api.Auth;
using Ear.Api.Features.Consent;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Features.Retention;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Processing;

/// <summary>
/// What was done with one expert's data, for which purpose and by whom (GDPR accountability): consents and withdrawals,
/// re-confirmations, the matching runs that ranked them, the disclosures of their CV and data, and retention's actions.
/// </summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="Consents">Every consent grant, with its withdrawal, oldest first.</param>
/// <param name="Confirmations">Every re-confirmation of the profile, oldest first.</param>
/// <param name="MatchingRuns">Every stored matching run that ranked the expert, with the expert's rank only (not the other candidates).</param>
/// <param name="Disclosures">Every CV download (with its purpose), data export and reading of this record, oldest first.</param>
/// <param name="RetentionActions">What the retention job did to the expert's data, oldest first.</param>
internal sealed record ExpertProcessingRecord(
    Guid ExpertId,
    IReadOnlyList<ConsentEntry> Consents,
    IReadOnlyList<ConfirmationEntry> Confirmations,
    IReadOnlyList<RankedInRun> MatchingRuns,
    IReadOnlyList<Disclosure> Disclosures,
    IReadOnlyList<RetentionEntry> RetentionActions);

/// <summary>A re-confirmation of the profile.</summary>
/// <param name="ConfirmedAt">When.</param>
/// <param name="ConfirmedBy">The API key that recorded it.</param>
/// <param name="Basis">What it rests on.</param>
/// <param name="Note">The free text given with it; null when none.</param>
internal sealed record ConfirmationEntry(
    DateTimeOffset ConfirmedAt,
    Guid? ConfirmedBy,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Bases))] string Basis,
    string? Note);

/// <summary>A stored matching run in which the expert was ranked.</summary>
/// <param name="RunId">The run (GET /api/v1/matching-runs/{id} for admins).</param>
/// <param name="ActionId">The action it was for.</param>
/// <param name="RequestedAt">When it ran.</param>
/// <param name="RequestedBy">The API key that asked; null when not recorded.</param>
/// <param name="Rank">The expert's rank in it: 1 for the best.</param>
internal sealed record RankedInRun(Guid RunId, Guid ActionId, DateTimeOffset RequestedAt, Guid? RequestedBy, int Rank);

/// <summary>A request that disclosed the expert's data, from the audit.</summary>
/// <param name="At">When.</param>
/// <param name="Action">DownloadCv, DownloadCvVersion, ExportExpertData or GetExpertProcessing.</param>
/// <param name="KeyId">The API key; null once the entry is pseudonymised.</param>
/// <param name="KeyPseudonym">The key's pseudonym once the entry is pseudonymised; null before.</param>
/// <param name="Role">The key's role.</param>
/// <param name="Purpose">For a CV download, what it was for; null otherwise.</param>
/// <param name="StatusCode">The answer's HTTP status: 200 when the data left, 409 when a download for cv_sharing was refused.</param>
internal sealed record Disclosure(
    DateTimeOffset At,
    string Action,
    Guid? KeyId,
    string? KeyPseudonym,
    [property: OneOf(typeof(Roles), nameof(Roles.All))] string? Role,
    [property: OneOf(typeof(CvDownloadPurposes), nameof(CvDownloadPurposes.All))] string? Purpose,
    int StatusCode);

/// <summary>An action of the retention job on the expert's data.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">What it did.</param>
/// <param name="At">When.</param>
/// <param name="CvVersion">For cv_version_deleted, the version; null otherwise.</param>
/// <param name="Purpose">For consent_expired, the purpose; null otherwise.</param>
internal sealed record RetentionEntry(
    Guid RunId,
    [property: OneOf(typeof(RetentionVocabulary), nameof(RetentionVocabulary.Kinds))] string Kind,
    DateTimeOffset At,
    int? CvVersion,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))] string? Purpose);
