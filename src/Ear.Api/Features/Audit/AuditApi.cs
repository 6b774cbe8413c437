using System.Globalization;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

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
internal sealed record AuditEntry(long Id, DateTimeOffset At, Guid? KeyId,
    [property: OneOf(typeof(Roles), nameof(Roles.All))] string? Role,
    string Action, string Method, string Path,
    string? TargetType, Guid? TargetId, int StatusCode,
    [property: OneOf(typeof(AuditTrail), nameof(AuditTrail.Outcomes))] string Outcome,
    string? ClientAddress,
    int Occurrences,
    string? Filter);

/// <summary>One page of the audit trail, newest first.</summary>
/// <param name="Items">The entries on this page.</param>
/// <param name="NextCursor">Pass as cursor to read older entries; null on the last page.</param>
internal sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);

internal static class AuditApi
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", ListAsync).WithName("ListAuditEntries").WithTags("Audit")
            .WithSummary("The audit trail, newest first, filtered by target, key and period. It cannot be changed through the API.")
            .WithDescription("Admins. Writes, CV downloads, exports, erasures, key changes, every search page and CSV export (with its filter, " +
                "free-text words withheld), and refused requests (one row per client address, key, status and minute, with occurrences).")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync([AsParameters] AuditQuery query, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var from = Instant(errors, "from", query.From);
        var to = Instant(errors, "to", query.To);
        long? before = null;
        if (query.Cursor is not null)
        {
            before = long.TryParse(query.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            if (before is null)
            {
                errors.Add("cursor", "Pass the nextCursor of the previous page unchanged.");
            }
        }

        var limit = 100;
        if (query.Limit is not null && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            errors.Add("limit", "A whole number from 1 to 500.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var entries = await db.ReadAsync(
            (connection, token) => ForAsync(connection, query.TargetId, query.KeyId, from, to, before, limit + 1, token), cancellationToken);
        var page = entries.Take(limit).ToList();
        return TypedResults.Ok(new AuditPage(page, entries.Count > limit ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    public static async Task<IReadOnlyList<AuditEntry>> ForAsync(NpgsqlConnection connection, Guid? targetId, Guid? keyId,
        DateTimeOffset? from, DateTimeOffset? to, long? before, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, at, key_id, role, action, method, path, target_type, target_id, status_code, outcome,
                   client_address, occurrences, filter
            FROM audit_entries
            WHERE (@targetId::uuid IS NULL OR target_id = @targetId::uuid)
              AND (@keyId::uuid IS NULL OR key_id = @keyId::uuid)
              AND (@from::timestamptz IS NULL OR at >= @from::timestamptz)
              AND (@to::timestamptz IS NULL OR at < @to::timestamptz)
              AND (@before::bigint IS NULL OR id < @before::bigint)
            ORDER BY id DESC
            LIMIT @limit
            """;
        return (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { targetId, keyId, from, to, before, limit }, cancellationToken: cancellationToken)))
            .Select(r => new AuditEntry(r.Id, r.At, r.KeyId, r.Role, r.Action, r.Method, r.Path, r.TargetType, r.TargetId, r.StatusCode, r.Outcome, r.ClientAddress, r.Occurrences, r.Filter))
            .ToList();
    }

    private static DateTimeOffset? Instant(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // PostgreSQL's timestamptz takes instants in UTC only; an offset names the same instant.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && Dates.InRange(DateOnly.FromDateTime(instant.UtcDateTime)))
        {
            return instant.ToUniversalTime();
        }

        errors.Add(field, "An ISO 8601 date or date and time (with Z or an offset), from 1900 to 2999.");
        return null;
    }

    private sealed record AuditRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public Guid? KeyId { get; init; }
        public string? Role { get; init; }
        public string Action { get; init; } = "";
        public string Method { get; init; } = "";
        public string Path { get; init; } = "";
        public string? TargetType { get; init; }
        public Guid? TargetId { get; init; }
        public int StatusCode { get; init; }
        public string Outcome { get; init; } = "";
        public string? ClientAddress { get; init; }
        public int Occurrences { get; init; }
        public string? Filter { get; init; }
    }
}
