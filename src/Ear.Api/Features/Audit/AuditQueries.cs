using Dapper;
using Ear.Api.Platform.Mapping;
using Mapster;
using Npgsql;

namespace Ear.Api.Features.Audit;

/// <summary>Reading the audit trail: its page, and an expert's entries in the expert's data export.</summary>
internal static class AuditQueries
{
    public static async Task<IReadOnlyList<AuditEntry>> ForAsync(NpgsqlConnection connection, Guid? targetId, Guid? keyId,
        DateTimeOffset? from, DateTimeOffset? to, long? before, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, at, key_id, role, action, method, path, target_type, target_id, status_code, outcome,
                   client_address, occurrences, filter, purpose, key_pseudonym
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
            .Select(row => row.Adapt<AuditEntry>(MappingSetup.Configuration))
            .ToList();
    }
}
