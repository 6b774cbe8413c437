using System.Diagnostics;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Auth;

/// <summary>
/// Listens on its own connection for the announcement that api_keys changed (the trigger of migration
/// 0018) and makes <see cref="ApiKeyCache"/> forget. Between announcements it sends a heartbeat every
/// <see cref="HeartbeatInterval"/>: PostgreSQL delivers the notifications committed before a statement
/// ahead of that statement's answer, so each answered heartbeat proves everything committed before it
/// was sent has been heard. When the connection fails, the cache is bypassed until a new connection is
/// listening, and whatever changed in between is forgotten.
/// </summary>
internal sealed class ApiKeyChangeListener(ApiKeyCache cache, DatabaseOptions database, ILogger<ApiKeyChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "ear_api_keys_changed";

    /// <summary>A quarter of the trust window: three heartbeats may be late before the cache stands aside.</summary>
    private static readonly TimeSpan HeartbeatInterval = ApiKeyCache.TrustWindow / 4;

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Notifications are not replicated and a standby refuses LISTEN: with several hosts, listen on the primary.
        var settings = new NpgsqlConnectionStringBuilder(ReadReplicas.PrimaryOnly(database.ConnectionString))
        {
            // Its own connection, outside the pool: a pooled connection would come back still listening.
            Pooling = false,
            CommandTimeout = 2,
            ApplicationName = "ear-api key listener",
        };
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                connection.Notification += (_, _) => cache.ForgetAll();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Changes made while nobody listened were not heard.
                cache.ForgetAll();
                if (lost)
                {
                    logger.LogInformation("Listening for API key changes again; keys are cached again.");
                    lost = false;
                }

                await using var heartbeat = new NpgsqlCommand("SELECT 1", connection);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var sentAt = Stopwatch.GetTimestamp();
                    await heartbeat.ExecuteScalarAsync(stoppingToken);
                    cache.HeardUpTo(sentAt);
                    await connection.WaitAsync(HeartbeatInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                cache.Deaf();
                if (!lost)
                {
                    logger.LogWarning("Lost the API key change listener ({Reason}); every request checks its key in the database until it is back.", e.Message);
                    lost = true;
                }

                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            finally
            {
                cache.Deaf();
            }
        }
    }
}
