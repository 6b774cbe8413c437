using Npgsql;
using Polly;

namespace Ear.Api.Platform.Database;

/// <summary>
/// Short-lived connections from the one data source. Reads are retried on transient failures.
/// A transaction is retried only when the server itself rolled it back as a deadlock victim or a
/// serialization failure: then nothing of it was applied and running it again is the documented cure.
/// A transaction that failed any other way (a dropped connection, a lost commit reply) is not
/// retried, because its write may have been applied and must not be applied twice.
/// </summary>
internal sealed class Db(NpgsqlDataSource dataSource, ResiliencePipeline retry, ReadReplicas replicas)
{
    public NpgsqlDataSource DataSource => dataSource;

    public ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async token =>
        {
            await using var connection = await replicas.OpenPrimaryOrStandbyAsync(token);
            return await read(connection, token);
        }, cancellationToken);

    /// <summary>
    /// A heavy read (search, CSV export, reports), served by a standby when one is configured and has
    /// replayed the caller's own writes (see <see cref="ReadReplicas"/>), else by the primary; retried like <see cref="ReadAsync"/>.
    /// </summary>
    public ValueTask<T> ReadPreferringStandbyAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async token =>
        {
            await using var connection = await replicas.OpenConnectionAsync(token);
            return await read(connection, token);
        }, cancellationToken);

    private const int TransactionAttempts = 3;

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. The work may run more than once
    /// (see the class comment), so it must touch nothing but the database, or rewind what it reads.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await TellTheAuthorAsync(connection, transaction, cancellationToken);
                var result = await work(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (attempt < TransactionAttempts && RolledBackByTheServer(e))
            {
                // Two bookings racing on one GiST exclusion constraint can each wait on the other's
                // tuple: the server breaks the tie by aborting one, which on its second run sees the
                // winner and is answered as an ordinary clash.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    /// <summary>The change feed's triggers record which key made a change (decision 0023); transaction-local, so nothing outlives it on the pooled connection.</summary>
    private static async Task TellTheAuthorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (ChangeAuthor.Current is not { } keyId)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT set_config('ear.key_id', $1, true)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = keyId.ToString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool RolledBackByTheServer(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
