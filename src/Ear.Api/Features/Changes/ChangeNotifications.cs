using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.Changes;

/// <summary>
/// Wakes whoever waits for the change feed: one connection per instance listens on ear_changes, which the
/// commit-position trigger notifies (PostgreSQL delivers it when the transaction commits). A waiter holds an
/// <see cref="Interest"/> while it may wait and takes <see cref="Next"/> before it reads the feed, so a commit after
/// its read wakes it. The connection listens only while someone is interested (and <see cref="Linger"/> after): a
/// listening connection is woken by every commit, which cost expert creation about a fifth of its time on a busy
/// two-core machine with nobody following. Until listening starts, and whenever the listener is down, waiters poll
/// (see <see cref="PollInterval"/>); listening announces once it starts, so nothing committed meanwhile is missed.
/// </summary>
internal sealed class ChangeNotifications(DatabaseOptions database, ILogger<ChangeNotifications> logger) : BackgroundService
{
    public const string Channel = "ear_changes";

    /// <summary>How long the connection keeps listening after the last waiter left, so successive long-polls do not flap it.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _interested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _listening;
    private int _interest;
    private long _lastInterestEnded = Environment.TickCount64;

    /// <summary>The longest a waiter sleeps without reading again: a safety net should a notification never come.</summary>
    public TimeSpan PollInterval => _listening ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500);

    /// <summary>Completes at the next commit heard after it was taken (or when listening starts).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Asks the connection to listen until the lease is disposed.</summary>
    public IDisposable Interest()
    {
        if (Interlocked.Increment(ref _interest) == 1)
        {
            Volatile.Read(ref _interested).TrySetResult();
        }

        return new Lease(this);
    }

    private sealed class Lease(ChangeNotifications owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && Interlocked.Decrement(ref owner._interest) == 0)
            {
                Interlocked.Exchange(ref owner._lastInterestEnded, Environment.TickCount64);
            }
        }
    }

    private bool Wanted => Volatile.Read(ref _interest) > 0
        || Environment.TickCount64 - Interlocked.Read(ref _lastInterestEnded) < Linger.TotalMilliseconds;

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
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                connection.Notification += (_, _) => Announce();
                await connection.OpenAsync(stoppingToken);
                if (lost)
                {
                    logger.LogInformation("The change feed listener is back.");
                    lost = false;
                }

                await using var heartbeat = new NpgsqlCommand("SELECT 1", connection);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (Wanted != _listening)
                    {
                        await using var toggle = new NpgsqlCommand(_listening ? $"UNLISTEN {Channel}" : $"LISTEN {Channel}", connection);
                        await toggle.ExecuteNonQueryAsync(stoppingToken);
                        _listening = !_listening;
                        // What committed before the LISTEN was not heard: every waiter reads again.
                        Announce();
                    }

                    if (_listening)
                    {
                        if (!await connection.WaitAsync(HeartbeatInterval, stoppingToken))
                        {
                            await heartbeat.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                    else
                    {
                        var interested = Volatile.Read(ref _interested);
                        if (Volatile.Read(ref _interest) == 0)
                        {
                            await Task.WhenAny(interested.Task, Task.Delay(HeartbeatInterval, stoppingToken));
                        }

                        Interlocked.CompareExchange(ref _interested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), interested);
                        if (!Wanted)
                        {
                            await heartbeat.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!lost)
                {
                    logger.LogWarning("Lost the change feed listener ({Reason}); waiting followers poll until it is back.", e.Message);
                    lost = true;
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
