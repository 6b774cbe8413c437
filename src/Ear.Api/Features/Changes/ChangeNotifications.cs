using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.Changes;

/// <summary>
/// Wakes whoever waits for the change feed: one connection per instance listens on ear_changes, which the
/// commit-position trigger notifies (PostgreSQL delivers it when the transaction commits). A waiter takes
/// <see cref="Next"/> before it reads the feed, so a commit after its read wakes it. While the listener is
/// down, waiters poll (see <see cref="PollInterval"/>), so a lost connection delays, never loses, a change.
/// </summary>
internal sealed class ChangeNotifications(DatabaseOptions database, ILogger<ChangeNotifications> logger) : BackgroundService
{
    public const string Channel = "ear_changes";

    /// <summary>The longest a waiter sleeps without reading again: a safety net should a notification never come.</summary>
    public TimeSpan PollInterval => _listening ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _listening;

    /// <summary>Completes at the next commit heard after it was taken.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    private void Announce() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Notifications are not replicated and a standby refuses LISTEN: listen on the primary, on a connection
        // outside the pool (a pooled one would come back still listening).
        var settings = new NpgsqlConnectionStringBuilder(ReadReplicas.PrimaryOnly(database.ConnectionString))
        {
            Pooling = false,
            CommandTimeout = 5,
            ApplicationName = "ear-api change listener",
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                connection.Notification += (_, _) => Announce();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening = true;
                // What committed while nobody listened was not heard: every waiter reads again.
                Announce();
                await using var heartbeat = new NpgsqlCommand("SELECT 1", connection);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(HeartbeatInterval, stoppingToken))
                    {
                        await heartbeat.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_listening)
                {
                    logger.LogWarning("Lost the change feed listener ({Reason}); waiting followers poll until it is back.", e.Message);
                }

                _listening = false;
                Announce();
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _listening = false;
    }
}
