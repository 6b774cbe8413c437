using System.Text.RegularExpressions;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ear.Api.Platform.Database;

/// <summary>
/// Where connections go when ConnectionStrings:Ear names several hosts (Npgsql multi-host; decision 0020):
/// the service's NpgsqlDataSource reaches the primary only (writes, and the reads that must see them: a key
/// lookup, a profile just saved); those reads fall back to a standby while no primary answers, so that reads
/// go on through a failover while writes answer 503 until a standby is promoted. Heavy reads (search, CSV
/// export, the matching roster, reports) prefer a standby. With one host, all are that host.
/// (Npgsql's prefer-primary was tried for the first: during a failover it sent writes, and the rate limiter's
/// upsert on an unlogged table, to the standby, which refused the latter with 0A000, a 500.)
/// </summary>
/// <remarks>
/// Read-your-writes: with standbys, every successful write answers <see cref="PositionHeader"/>, the
/// primary's WAL position after it committed. A heavy read that sends it back is served by a standby only
/// once the standby has replayed that far (waiting up to <see cref="ReplayWait"/>), else by the primary.
/// Every heavy read says who served it in <see cref="ServedByHeader"/> (primary or standby), as the
/// query path saw it with pg_is_in_recovery().
/// </remarks>
internal sealed partial class ReadReplicas(NpgsqlDataSource primary, NpgsqlDataSource? standbyPreferred)
{
    public const string PositionHeader = "Ear-Wal-Position";
    public const string ServedByHeader = "Ear-Read-From";

    /// <summary>Long enough for a standby on the same network to replay a write (milliseconds), short enough that the primary answers in time when it lags.</summary>
    private static readonly TimeSpan ReplayWait = TimeSpan.FromMilliseconds(500);

    internal static readonly AsyncLocal<RequestConsistency?> Current = new();

    /// <summary>True when heavy reads may go elsewhere than the primary.</summary>
    public bool HasStandbys => standbyPreferred is not null;

    public NpgsqlDataSource Primary => primary;

    /// <summary>A connection for an ordinary read: the primary, or while none answers (a failover), a standby.</summary>
    public async Task<NpgsqlConnection> OpenPrimaryOrStandbyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await primary.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (standbyPreferred is not null && e is not PostgresException)
        {
            return await standbyPreferred.OpenConnectionAsync(cancellationToken);
        }
    }

    /// <summary>A connection for a heavy read: a standby that has replayed what the caller wrote, else the primary.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (standbyPreferred is null)
        {
            return await primary.OpenConnectionAsync(cancellationToken);
        }

        var request = Current.Value;
        var connection = await standbyPreferred.OpenConnectionAsync(cancellationToken);
        try
        {
            var role = await ReplayedRoleAsync(connection, request?.ReadAfter, cancellationToken);
            if (role is null)
            {
                await connection.DisposeAsync();
                connection = await primary.OpenConnectionAsync(cancellationToken);
                role = "primary";
            }

            EarMetrics.HeavyReads.Add(1, new KeyValuePair<string, object?>("role", role));
            if (request is not null)
            {
                request.ServedBy = role;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// primary or standby, as the server says; null when it is a standby that did not replay
    /// <paramref name="readAfter"/> within <see cref="ReplayWait"/>.
    /// </summary>
    private static async Task<string?> ReplayedRoleAsync(NpgsqlConnection connection, string? readAfter, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReplayWait;
        await using var command = new NpgsqlCommand(
            "SELECT pg_is_in_recovery(), @readAfter::pg_lsn IS NULL OR NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= @readAfter::pg_lsn", connection);
        command.Parameters.AddWithValue("readAfter", NpgsqlTypes.NpgsqlDbType.Text, (object?)readAfter ?? DBNull.Value);
        while (true)
        {
            bool standby, replayed;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (standby, replayed) = (reader.GetBoolean(0), reader.GetBoolean(1));
            }

            if (replayed)
            {
                return standby ? "standby" : "primary";
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    /// <summary>Whether the connection string names a primary and its standbys (Npgsql multi-host).</summary>
    public static bool NamesSeveralHosts(NpgsqlConnectionStringBuilder settings) =>
        settings.Host?.Contains(',', StringComparison.Ordinal) == true;

    /// <summary>
    /// The connection string of a session that must be on the primary (migrations, LISTEN): with several
    /// hosts, "primary" as the target session; with one, unchanged (Npgsql refuses the setting for one host).
    /// </summary>
    public static string PrimaryOnly(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (NamesSeveralHosts(settings))
        {
            settings.TargetSessionAttributes = "primary";
        }

        return settings.ConnectionString;
    }

    [GeneratedRegex("^[0-9A-F]{1,8}/[0-9A-F]{1,8}$", RegexOptions.CultureInvariant)]
    internal static partial Regex WalPosition();

    internal sealed class RequestConsistency(string? readAfter)
    {
        public string? ReadAfter { get; } = readAfter;

        public string? ServedBy { get; set; }
    }
}

/// <summary>The data sources and the read-your-writes middleware of <see cref="ReadReplicas"/>.</summary>
internal static class ReadReplicasSetup
{
    public static void AddEarDataSources(this WebApplicationBuilder builder, NpgsqlConnectionStringBuilder settings)
    {
        if (!ReadReplicas.NamesSeveralHosts(settings))
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString));
            builder.Services.AddSingleton(services => new ReadReplicas(services.GetRequiredService<NpgsqlDataSource>(), null));
            return;
        }

        // Npgsql remembers which host is primary for this long: after a promotion, writes find the new
        // primary within it (the default, 10 s, would be the failover gap).
        if (!settings.ContainsKey("Host Recheck Seconds"))
        {
            settings.HostRecheckSeconds = 1;
        }

        var cluster = new NpgsqlDataSourceBuilder(settings.ConnectionString).BuildMultiHost();
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton<NpgsqlDataSource>(_ => cluster.WithTargetSession(TargetSessionAttributes.Primary));
        builder.Services.AddSingleton(services => new ReadReplicas(
            services.GetRequiredService<NpgsqlDataSource>(), cluster.WithTargetSession(TargetSessionAttributes.PreferStandby)));
    }


    /// <summary>
    /// With standbys: reads <see cref="ReadReplicas.PositionHeader"/> from the request (400 naming it when malformed),
    /// answers a successful write with the primary's WAL position, and a heavy read with who served it.
    /// </summary>
    public static void UseEarReadYourWrites(this WebApplication app)
    {
        var replicas = app.Services.GetRequiredService<ReadReplicas>();
        if (!replicas.HasStandbys)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            string? readAfter = null;
            if (context.Request.Headers[ReadReplicas.PositionHeader] is { Count: > 0 } sent)
            {
                if (sent.Count > 1 || !ReadReplicas.WalPosition().IsMatch(sent.ToString()))
                {
                    await Problems.WriteAsync(context, new ValidationProblemDetails(new Dictionary<string, string[]>
                    {
                        [ReadReplicas.PositionHeader] = [$"Send back the {ReadReplicas.PositionHeader} a write answered, once, as it came (such as 0/3000148)."],
                    })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = $"{ReadReplicas.PositionHeader} is not a WAL position.",
                    });
                    return;
                }

                readAfter = sent.ToString();
            }

            var consistency = new ReadReplicas.RequestConsistency(readAfter);
            ReadReplicas.Current.Value = consistency;
            var isWrite = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method);
            context.Response.OnStarting(async () =>
            {
                if (consistency.ServedBy is { } servedBy)
                {
                    context.Response.Headers[ReadReplicas.ServedByHeader] = servedBy;
                }

                if (isWrite && context.Response.StatusCode is >= 200 and < 300)
                {
                    // Read after the commit, so it is at or past the commit's own position.
                    try
                    {
                        await using var command = replicas.Primary.CreateCommand("SELECT pg_current_wal_lsn()::text");
                        if (await command.ExecuteScalarAsync(CancellationToken.None) is string position)
                        {
                            context.Response.Headers[ReadReplicas.PositionHeader] = position;
                        }
                    }
                    catch (NpgsqlException)
                    {
                        // The primary went away just after the commit: the write stands, without a position to wait for.
                    }
                }
            });
            await next(context);
        });
    }
}
