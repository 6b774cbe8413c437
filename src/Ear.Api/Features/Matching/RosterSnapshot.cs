using Ear.Api.Platform.Telemetry;
using Dapper;
using Ear.Api.Features.Experts;
using Ear.Matching;
using Npgsql;

namespace Ear.Api.Features.Matching;

/// <summary>
/// The roster as the matching engine reads it, kept in memory and brought up to date before every
/// run: the experts any transaction touched since the last look (roster_changes, 0008_matching.sql)
/// are read again. A snapshot idle for longer than the change log is kept reloads everything.
/// </summary>
internal sealed class RosterSnapshot(Ear.Api.Platform.Database.ReadReplicas dataSource, TimeProvider clock, ILogger<RosterSnapshot> logger) : IDisposable
{
    /// <summary>How long roster_changes keeps entries; a snapshot older than half of it reloads in full.</summary>
    internal static readonly TimeSpan ChangeLogRetention = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly ReaderWriterLockSlim _roster = new();
    private Roster _current = new();
    private ulong? _horizon;
    private DateTimeOffset _lastFullLoad;

    /// <summary>
    /// Brings the roster up to date (every change committed before this call is in it), then lets
    /// <paramref name="use"/> read it while no refresh can change it.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<Roster, T> use, CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        _roster.EnterReadLock();
        try
        {
            return use(_current);
        }
        finally
        {
            _roster.ExitReadLock();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            if (_horizon is { } since && clock.GetUtcNow() - _lastFullLoad <= ChangeLogRetention / 2)
            {
                await CatchUpAsync(connection, since, cancellationToken);
            }
            else
            {
                await ReloadAsync(connection, cancellationToken);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// Reads again the experts changed since the last look. The new horizon and the changes come in one
    /// round trip: each statement sees every commit made before it started, so the changes seen include
    /// every transaction older than the new horizon; younger ones are read again next time.
    /// </summary>
    private async Task CatchUpAsync(NpgsqlConnection connection, ulong since, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::numeric;
            SELECT DISTINCT expert_id FROM roster_changes WHERE xid >= @since::text::xid8;
            """;
        ulong horizon;
        Guid[] changed;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { since = since.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken)))
        {
            horizon = await results.ReadSingleAsync<ulong>();
            changed = (await results.ReadAsync<Guid>()).ToArray();
        }

        if (changed.Length > 0)
        {
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var reloaded = await LoadAsync(connection, transaction, changed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Write(() =>
            {
                foreach (var id in changed)
                {
                    _current.Remove(id);
                }

                for (var slot = 0; slot < reloaded.Count; slot++)
                {
                    _current.Upsert(reloaded[slot]);
                }
            });
        }

        _horizon = horizon;
        EarMetrics.RosterCaughtUp(changed.Length, _current.Count, clock.GetUtcNow());
    }

    /// <summary>Loads the whole roster from one snapshot, and trims the change log.</summary>
    private async Task ReloadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var horizon = await connection.ExecuteScalarAsync<ulong>(new CommandDefinition(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::numeric", transaction: transaction, cancellationToken: cancellationToken));
        var roster = await LoadAsync(connection, transaction, null, cancellationToken);
        Write(() => _current = roster);
        _lastFullLoad = clock.GetUtcNow();
        logger.LogInformation("Matching roster loaded: {Count} experts.", roster.Count);
        EarMetrics.RosterLoaded(roster.Count, clock.GetUtcNow());
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT trim_roster_changes(@retention)", new { retention = ChangeLogRetention }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        _horizon = horizon;
    }

    /// <summary>Forgets everything: the next run reloads the roster (after a restore, or a test's reset).</summary>
    public void Invalidate()
    {
        _refreshing.Wait();
        try
        {
            _horizon = null;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose()
    {
        _refreshing.Dispose();
        _roster.Dispose();
    }

    private void Write(Action change)
    {
        _roster.EnterWriteLock();
        try
        {
            change();
        }
        finally
        {
            _roster.ExitWriteLock();
        }
    }

    /// <summary>
    /// Every expert (ids null) or these experts, with what matching needs; erased experts are left out. Each row
    /// goes from the reader straight into the roster's columns (<see cref="RosterLoader"/>), so the load holds
    /// no object per expert or per row: at a million experts, materialising them first took more memory than
    /// the roster (docs/decisions/0005).
    /// </summary>
    private static async Task<Roster> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[]? ids, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT e.id, e.kind, e.nationality, e.member_state, e.gender, e.status,
                   e.pending_reconfirmation_since IS NULL AND coalesce(membership.state = 'granted', false) AS has_consent,
                   e.countries_of_experience, coalesce(evaluation.state = 'granted', false) AS uses_evaluations
            FROM experts e
            LEFT JOIN current_consents membership ON membership.expert_id = e.id AND membership.purpose = 'roster_membership'
            LEFT JOIN current_consents evaluation ON evaluation.expert_id = e.id AND evaluation.purpose = 'evaluation_use'
            WHERE e.erased_at IS NULL AND (@ids::uuid[] IS NULL OR e.id = ANY(@ids::uuid[]));

            SELECT expert_id, language_code, level_rank FROM expert_languages WHERE @ids::uuid[] IS NULL OR expert_id = ANY(@ids::uuid[]);

            SELECT expert_id, theme_code, level FROM expert_themes WHERE @ids::uuid[] IS NULL OR expert_id = ANY(@ids::uuid[]);

            SELECT expert_id, lower(period) AS from, upper(period) - 1 AS to
            FROM expert_unavailability WHERE @ids::uuid[] IS NULL OR expert_id = ANY(@ids::uuid[]);

            SELECT d.expert_id, lower(d.period) AS from, upper(d.period) - 1 AS to,
                   CASE WHEN ac.country IS NULL THEN a.beneficiary_countries ELSE a.beneficiary_countries || ac.country END AS countries,
                   a.themes, ev.rating, ev.recommendation
            FROM deployments d
            JOIN activities ac ON ac.id = d.activity_id
            JOIN actions a ON a.id = ac.action_id
            LEFT JOIN current_consents consent ON consent.expert_id = d.expert_id AND consent.purpose = 'evaluation_use'
            LEFT JOIN evaluations ev ON ev.deployment_id = d.id AND consent.state = 'granted'
            WHERE d.cancelled_at IS NULL AND (@ids::uuid[] IS NULL OR d.expert_id = ANY(@ids::uuid[]));
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)ids ?? DBNull.Value });
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var roster = new RosterLoader();
        while (await rows.ReadAsync(cancellationToken))
        {
            var gender = rows.GetString(4);
            roster.Expert(
                id: rows.GetGuid(0),
                kind: ExpertVocabulary.Kinds[rows.GetString(1)],
                nationality: rows.GetString(2),
                memberState: rows.IsDBNull(3) ? null : rows.GetString(3),
                gender: gender,
                isWoman: gender == "female",
                isActive: rows.GetString(5) == "active",
                hasConsent: rows.GetBoolean(6),
                countriesOfExperience: rows.GetFieldValue<string[]>(7),
                usesEvaluations: rows.GetBoolean(8));
        }

        await rows.NextResultAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            roster.Language(rows.GetGuid(0), rows.GetString(1), rows.GetInt16(2));
        }

        await rows.NextResultAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            roster.Theme(rows.GetGuid(0), rows.GetString(1), rows.GetInt16(2));
        }

        await rows.NextResultAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            roster.Unavailable(rows.GetGuid(0), new DayRange(rows.GetFieldValue<DateOnly>(1), rows.GetFieldValue<DateOnly>(2)));
        }

        await rows.NextResultAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            roster.Deployment(
                rows.GetGuid(0),
                new DayRange(rows.GetFieldValue<DateOnly>(1), rows.GetFieldValue<DateOnly>(2)),
                rows.GetFieldValue<string[]>(3),
                rows.GetFieldValue<string[]>(4),
                rows.IsDBNull(5) ? null : rows.GetInt16(5),
                (rows.IsDBNull(6) ? null : rows.GetString(6)) switch
                {
                    "redeploy" => Recommendation.Redeploy,
                    "redeploy_other_area" => Recommendation.RedeployOtherArea,
                    "do_not_redeploy" => Recommendation.DoNotRedeploy,
                    _ => null,
                });
        }

        return roster.Build();
    }
}
