using Dapper;
using Ear.Api.Auth;
using Npgsql;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>Issues real keys of each role straight into the database (the key API is tested on its own).</summary>
internal static class Keys
{
    public static async Task<string> IssueAsync(string role, string? memberState = null)
    {
        var secret = ApiKeySecrets.NewSecret();
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, name, role, member_state, key_hash, key_prefix) VALUES (@id, @name, @role, @memberState, @hash, @prefix)",
            new { id = Guid.CreateVersion7(), name = $"test {role}", role, memberState, hash = ApiKeySecrets.Hash(secret), prefix = ApiKeySecrets.DisplayPrefix(secret) });
        return secret;
    }
}
