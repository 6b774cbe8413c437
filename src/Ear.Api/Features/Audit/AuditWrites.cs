using Dapper;
using Npgsql;

namespace Ear.Api.Features.Audit;

internal static class AuditWrites
{
    /// <summary>
    /// A refusal joins the row of its address, key and status for the minute, so that the audit grows by at
    /// most one row per address, key and status a minute however many refusals there are.
    /// </summary>
    public static Task InsertAsync(NpgsqlConnection connection, NewAuditEntry entry)
    {
        const string sql = """
            INSERT INTO audit_entries (at, key_id, role, action, method, path, target_type, target_id, status_code, outcome,
                                       client_address, refusal_minute, filter, purpose)
            VALUES (now(), @KeyId, @Role, @Action, @Method, @Path, @TargetType, @TargetId, @StatusCode, @Outcome,
                    @ClientAddress, CASE WHEN @Outcome = 'refused' THEN date_trunc('minute', now()) END, @Filter, @Purpose)
            ON CONFLICT (refusal_minute, client_address, key_id, status_code) WHERE outcome = 'refused'
            DO UPDATE SET occurrences = audit_entries.occurrences + 1
            """;
        return connection.ExecuteAsync(sql, entry);
    }
}
