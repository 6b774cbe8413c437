using Dapper;
using Npgsql;

namespace Ear.Api.Features.ApiKeys;

internal static class ApiKeysQueries
{
    /// <summary>What a key shows of itself: never its hash.</summary>
    internal const string Columns = "id, name, role, member_state, key_prefix, created_at, revoked_at";

    public static async Task<IReadOnlyList<ApiKeyRow>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys ORDER BY created_at, id", cancellationToken: cancellationToken))).AsList();
}
