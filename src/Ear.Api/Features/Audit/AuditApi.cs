using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Audit;

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
            (connection, token) => AuditQueries.ForAsync(connection, query.TargetId, query.KeyId, from, to, before, limit + 1, token), cancellationToken);
        var page = entries.Take(limit).ToList();
        return TypedResults.Ok(new AuditPage(page, entries.Count > limit ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
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
}
