using Ear.Api.Features.Changes;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.Webhooks;

/// <summary>
/// Delivers every subscription's events, one instance per subscription at a time (decision 0023). Each instance
/// holds a connection of its own on which it takes a session advisory lock per subscription it serves
/// (pg_try_advisory_lock): the lock dies with the connection, so a killed instance's subscriptions are taken
/// over by another within <see cref="ClaimInterval"/>. A subscription's worker queues the feed's new events as
/// deliveries and sends them one by one in feed order (<see cref="WebhookSender"/>).
/// </summary>
internal sealed class WebhookDispatcher(
    DatabaseOptions database, Db db, ChangeNotifications notifications, WebhookSender sender, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>"EARW": the first half of every subscription's advisory lock key; the second is hashtext of its id.</summary>
    private const int LockClass = 0x45415257;

    private static readonly TimeSpan ClaimInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(ReadReplicas.PrimaryOnly(database.ConnectionString))
        {
            // Session locks must not go back to the pool (nothing resets a pooled connection).
            Pooling = false,
            CommandTimeout = 5,
            ApplicationName = "ear-api webhook dispatcher",
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            var workers = new Dictionary<Guid, (Task Work, CancellationTokenSource Stop)>();
            var locks = new NpgsqlConnection(settings.ConnectionString);
            try
            {
                await locks.OpenAsync(stoppingToken);
                // On a timer, not on every commit: claiming reads the subscriptions, and writes must not pay for it.
                using var claims = new PeriodicTimer(ClaimInterval);
                do
                {
                    await ClaimAsync(locks, workers, stoppingToken);
                }
                while (await claims.WaitForNextTickAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The webhook dispatcher lost its lock connection ({Reason}); its subscriptions are free for any instance.", e.Message);
            }
            finally
            {
                // The workers stop before the connection (and with it the locks) goes. A connection that failed has
                // lost its locks already: another instance may start while a worker finishes its current attempt.
                foreach (var (_, (work, stop)) in workers)
                {
                    await stop.CancelAsync();
                    await work.ContinueWith(_ => { }, TaskScheduler.Default);
                    stop.Dispose();
                }

                await locks.DisposeAsync();
            }

            try
            {
                await Task.Delay(ClaimInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ClaimAsync(NpgsqlConnection locks, Dictionary<Guid, (Task Work, CancellationTokenSource Stop)> workers, CancellationToken stoppingToken)
    {
        var subscriptions = (await db.ReadAsync(WebhooksQueries.SubscriptionIdsAsync, stoppingToken)).ToHashSet();
        foreach (var id in workers.Keys.ToList())
        {
            if (subscriptions.Contains(id) && !workers[id].Work.IsCompleted)
            {
                continue;
            }

            var (work, stop) = workers[id];
            await stop.CancelAsync();
            await work.ContinueWith(_ => { }, TaskScheduler.Default);
            stop.Dispose();
            workers.Remove(id);
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", locks);
            unlock.Parameters.Add(new NpgsqlParameter { Value = LockClass });
            unlock.Parameters.Add(new NpgsqlParameter { Value = id.ToString() });
            await unlock.ExecuteScalarAsync(stoppingToken);
        }

        foreach (var id in subscriptions.Where(s => !workers.ContainsKey(s)))
        {
            await using var claim = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, hashtext($2))", locks);
            claim.Parameters.Add(new NpgsqlParameter { Value = LockClass });
            claim.Parameters.Add(new NpgsqlParameter { Value = id.ToString() });
            if (await claim.ExecuteScalarAsync(stoppingToken) is true)
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                workers[id] = (Task.Run(() => ServeAsync(id, stop.Token), CancellationToken.None), stop);
            }
        }

        // A heartbeat: a dead lock connection must stop the workers before another instance starts on the same subscriptions.
        await using var alive = new NpgsqlCommand("SELECT 1", locks);
        await alive.ExecuteScalarAsync(stoppingToken);
    }

    /// <summary>Queues and sends one subscription's events, in feed order, until it is deleted or this instance lets go.</summary>
    private async Task ServeAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        using var interest = notifications.Interest();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var nextCommit = notifications.Next;
                var queued = await db.InTransactionAsync(
                    (connection, transaction, token) => WebhooksWrites.QueueAsync(connection, transaction, subscriptionId, token), cancellationToken);
                if (queued is null)
                {
                    return;
                }

                var head = await db.ReadAsync((connection, token) => WebhooksQueries.HeadAsync(connection, subscriptionId, token), cancellationToken);
                if (head is null)
                {
                    await Task.WhenAny(nextCommit, Task.Delay(ClaimInterval, cancellationToken));
                    continue;
                }

                var wait = head.NextAttemptAt - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    // The head waits for its retry, and every later event waits behind it: per-resource order needs it.
                    await Task.Delay(wait < ClaimInterval ? wait : ClaimInterval, cancellationToken);
                    continue;
                }

                await sender.DeliverAsync(subscriptionId, head, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook subscription {Subscription}: delivery step failed; trying again.", subscriptionId);
                await Task.Delay(ClaimInterval, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
