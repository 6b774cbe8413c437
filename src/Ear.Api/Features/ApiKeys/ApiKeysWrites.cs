using Dapper;
using Npgsql;

namespace Ear.Api.Features.ApiKeys;

internal static class ApiKeysWrites
{
    private const string Columns = ApiKeysQueries.Columns;

    public static async Task<ApiKeyRow> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid id, string name, string role, string? memberState, byte[] hash, string prefix, CancellationToken cancellationToken) =>
        await connection.QuerySingleAsync<ApiKeyRow>(new CommandDefinition($"""
            INSERT INTO api_keys (id, name, role, member_state, key_hash, key_prefix)
            VALUES (@id, @name, @role, @memberState, @hash, @prefix)
            RETURNING {Columns}
            """, new { id, name, role, memberState, hash, prefix }, transaction, cancellationToken: cancellationToken));

    /// <summary>Revokes the key at once (the next request with it is refused); the row stays for the audit trail.</summary>
    public static async Task<ApiKeyRow?> RevokeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition($"""
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = @id
            RETURNING {Columns}
            """, new { id }, transaction, cancellationToken: cancellationToken));
}
