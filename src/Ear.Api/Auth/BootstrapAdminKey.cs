using Dapper;
using Npgsql;

namespace Ear.Api.Auth;

/// <summary>
/// Makes sure the MIEUX team can get in: EAR_BOOTSTRAP_ADMIN_KEY becomes an admin key the first time it is
/// seen, or, when there is no active admin key at all, one is generated and printed once (it cannot be
/// shown again).
/// </summary>
internal static class BootstrapAdminKey
{
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string? configuredSecret, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(configuredSecret))
        {
            // Created once, never revived: a revoked key is revoked for good, even though its secret is still
            // in the service's configuration.
            const string createOnce = """
                INSERT INTO api_keys (id, name, role, key_hash, key_prefix)
                VALUES (@id, 'bootstrap admin', 'admin', @hash, @prefix)
                ON CONFLICT (key_hash) DO NOTHING
                """;
            var hash = ApiKeySecrets.Hash(configuredSecret);
            var created = await connection.ExecuteAsync(new CommandDefinition(createOnce, new
            {
                id = Guid.CreateVersion7(),
                hash,
                prefix = ApiKeySecrets.DisplayPrefix(configuredSecret),
            }, cancellationToken: cancellationToken));

            const string revoked = "SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_hash = @hash";
            if (created == 0 && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(revoked, new { hash }, cancellationToken: cancellationToken)))
            {
                logger.LogWarning(
                    "The configured bootstrap admin key (EAR_BOOTSTRAP_ADMIN_KEY, {Prefix}...) was revoked and is not restored.",
                    ApiKeySecrets.DisplayPrefix(configuredSecret));
            }

            // A revoked bootstrap key and no other admin left would lock everyone out: then, as with no
            // configured key, an admin key is generated below.
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
