using Ear.Api.Auth;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Audit;

/// <summary>The query string of GET /api/v1/audit.</summary>
internal sealed record AuditQuery
{
    /// <summary>Entries about this record (an expert, action, deployment, key...).</summary>
    [FromQuery(Name = "targetId")] public Guid? TargetId { get; init; }

    /// <summary>Entries of requests made with this API key.</summary>
    [FromQuery(Name = "keyId")] public Guid? KeyId { get; init; }

    /// <summary>ISO 8601 date or date-time (inclusive).</summary>
    [FromQuery(Name = "from"), WireFormat(Format = "date-time")] public string? From { get; init; }

    /// <summary>ISO 8601 date or date-time (exclusive).</summary>
    [FromQuery(Name = "to"), WireFormat(Format = "date-time")] public string? To { get; init; }

    /// <summary>The nextCursor of the previous page (entries come newest first).</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// <summary>Entries a page, 1 to 500 (default 100).</summary>
    [FromQuery(Name = "limit"), WireFormat(Type = "integer", Minimum = 1, Maximum = 500)] public string? Limit { get; init; }
}

/// <summary>One audited request.</summary>
/// <param name="Id">The entry's number, increasing with time.</param>
/// <param name="At">When the request was answered (for aggregated refusals, the first of the minute).</param>
/// <param name="KeyId">The API key used; null when none was valid.</param>
/// <param name="Role">That key's role; null when none was valid.</param>
/// <param name="Action">The operation (its operationId, e.g. UpdateExpert), or the method and route when it has none.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="TargetType">The collection the path names (experts, actions, ...); null when none.</param>
/// <param name="TargetId">The record the request was about: the id in the path, or a created record's; null when none.</param>
/// <param name="StatusCode">The answer's HTTP status.</param>
/// <param name="Outcome">succeeded (2xx), failed, or refused (by authentication, authorization or the rate limit).</param>
/// <param name="ClientAddress">The caller's IP address (an IPv6 caller's /64), "unknown" when the service could not tell.</param>
/// <param name="Occurrences">How many requests the entry stands for: refusals are counted per address, key, status and minute.</param>
/// <param name="Filter">For a search or CSV export, its query string, with the free-text words withheld.</param>
/// <param name="Purpose">For a CV download, what it was for; null otherwise.</param>
/// <param name="KeyPseudonym">For an entry older than the audit's retention: a keyed hash standing for the key (keyId and the client address are then gone); null otherwise.</param>
internal sealed record AuditEntry(long Id, DateTimeOffset At, Guid? KeyId,
    [property: OneOf(typeof(Roles), nameof(Roles.All))] string? Role,
    string Action, string Method, string Path,
    string? TargetType, Guid? TargetId, int StatusCode,
    [property: OneOf(typeof(AuditTrail), nameof(AuditTrail.Outcomes))] string Outcome,
    string? ClientAddress,
    int Occurrences,
    string? Filter,
    [property: OneOf(typeof(CvDownloadPurposes), nameof(CvDownloadPurposes.All))] string? Purpose,
    string? KeyPseudonym);

/// <summary>One page of the audit trail, newest first.</summary>
/// <param name="Items">The entries on this page.</param>
/// <param name="NextCursor">Pass as cursor to read older entries; null on the last page.</param>
internal sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);
