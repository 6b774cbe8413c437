using Npgsql;
using Polly;

namespace Ear.Api.Platform.Database;

/// <summary>
/// Short-lived connections from the one data source. Reads are retried on transient failures;
/// transactions are not, because a write whose commit reply was lost must not be applied twice.
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

    public async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
