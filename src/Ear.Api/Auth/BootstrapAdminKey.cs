using Dapper;
using Npgsql;

namespace Ear.Api.Auth;

/// <summary>
/// Makes sure the MIEUX team can get in: EAR_BOOTSTRAP_ADMIN_KEY becomes an admin key, or, when there is
/// no admin key at all, one is generated and printed once (it cannot be shown again).
/// </summary>
internal static class BootstrapAdminKey
{
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string? configuredSecret, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(configuredSecret))
        {
            const string upsert = """
                INSERT INTO api_keys (id, name, role, key_hash, key_prefix)
                VALUES (@id, 'bootstrap admin', 'admin', @hash, @prefix)
                ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL, role = 'admin', member_state = NULL
                """;
            await connection.ExecuteAsync(new CommandDefinition(upsert, new
            {
                id = Guid.CreateVersion7(),
                hash = ApiKeySecrets.Hash(configuredSecret),
                prefix = ApiKeySecrets.DisplayPrefix(configuredSecret),
            }, cancellationToken: cancellationToken));
            return;
        }

        const string anyAdmin = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL)";
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(anyAdmin, cancellationToken: cancellationToken)))
        {
            return;
        }

        var secret = ApiKeySecrets.NewSecret();
        const string insert = """
            INSERT INTO api_keys (id, name, role, key_hash, key_prefix)
            VALUES (@id, 'generated admin', 'admin', @hash, @prefix)
            """;
        await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            id = Guid.CreateVersion7(),
            hash = ApiKeySecrets.Hash(secret),
            prefix = ApiKeySecrets.DisplayPrefix(secret),
        }, cancellationToken: cancellationToken));

        logger.LogWarning("No admin API key existed; one was generated. It is printed once, on standard output.");
        Console.WriteLine($"EAR: admin API key (shown once, keep it): {secret}");
    }
}
