using System.Globalization;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ear.Api.Features.Audit;

internal sealed record AuditQuery
{
    [FromQuery(Name = "targetId")] public Guid? TargetId { get; init; }
    [FromQuery(Name = "keyId")] public Guid? KeyId { get; init; }

    /// <summary>ISO 8601 date or date-time (inclusive).</summary>
    [FromQuery(Name = "from")] public string? From { get; init; }

    /// <summary>ISO 8601 date or date-time (exclusive).</summary>
    [FromQuery(Name = "to")] public string? To { get; init; }

    /// <summary>The nextCursor of the previous page (entries come newest first).</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    [FromQuery(Name = "limit")] public string? Limit { get; init; }
}

internal sealed record AuditEntry(long Id, DateTimeOffset At, Guid? KeyId, string? Role, string Action, string Method, string Path,
    string? TargetType, Guid? TargetId, int StatusCode, string Outcome,
    /// <summary>The caller's IP address (an IPv6 caller's /64), "unknown" when the service could not tell.</summary>
    string? ClientAddress,
    /// <summary>How many requests the entry stands for: refusals are counted per address, key, status and minute.</summary>
    int Occurrences,
    /// <summary>For a search or CSV export, its query string, with the free-text words withheld.</summary>
    string? Filter);

internal sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);

internal static class AuditApi
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", ListAsync).WithName("ListAuditEntries").WithTags("Audit")
            .WithSummary("The audit trail, newest first, filtered by target, key and period. It cannot be changed through the API.")
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
