using System.Collections.Frozen;
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
internal sealed class RosterSnapshot(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<RosterSnapshot> logger) : IDisposable
{
    /// <summary>How long roster_changes keeps entries; a snapshot older than half of it reloads in full.</summary>
    private static readonly TimeSpan ChangeLogRetention = TimeSpan.FromHours(24);

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

                foreach (var candidate in reloaded)
                {
                    _current.Upsert(candidate);
                }
            });
        }

        _horizon = horizon;
    }

    /// <summary>Loads the whole roster from one snapshot, and trims the change log.</summary>
    private async Task ReloadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var horizon = await connection.ExecuteScalarAsync<ulong>(new CommandDefinition(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::numeric", transaction: transaction, cancellationToken: cancellationToken));
        var all = await LoadAsync(connection, transaction, null, cancellationToken);
        var roster = new Roster(all);
        Write(() => _current = roster);
        _lastFullLoad = clock.GetUtcNow();
        logger.LogInformation("Matching roster loaded: {Count} experts.", all.Count);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM roster_changes WHERE changed_at < now() - @retention", new { retention = ChangeLogRetention }, transaction, cancellationToken: cancellationToken));
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

    /// <summary>Every expert (ids null) or these experts, with what matching needs; erased experts are left out.</summary>
    private static async Task<List<Candidate>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[]? ids, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL AS has_consent, countries_of_experience
            FROM experts WHERE erased_at IS NULL AND (@ids::uuid[] IS NULL OR id = ANY(@ids::uuid[]));

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
            LEFT JOIN evaluations ev ON ev.deployment_id = d.id
            WHERE d.cancelled_at IS NULL AND (@ids::uuid[] IS NULL OR d.expert_id = ANY(@ids::uuid[]));
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { ids }, transaction, cancellationToken: cancellationToken));
        var experts = (await results.ReadAsync<ExpertRow>()).AsList();
        var languages = (await results.ReadAsync<LanguageRow>()).ToLookup(l => l.ExpertId);
        var themes = (await results.ReadAsync<ThemeRow>()).ToLookup(t => t.ExpertId);
        var unavailability = (await results.ReadAsync<PeriodRow>()).ToLookup(u => u.ExpertId);
        var deployments = (await results.ReadAsync<DeploymentRow>()).ToLookup(d => d.ExpertId);

        return experts.Select(e => new Candidate
        {
            Id = e.Id,
            Kind = ExpertVocabulary.Kinds[e.Kind],
            Nationality = e.Nationality,
            MemberState = e.MemberState,
            IsWoman = e.Gender == "female",
            Gender = e.Gender,
            IsActive = e.Status == "active",
            HasConsent = e.HasConsent,
            Languages = languages[e.Id].ToFrozenDictionary(l => l.LanguageCode, l => (int)l.LevelRank, StringComparer.Ordinal),
            Themes = themes[e.Id].ToFrozenDictionary(t => t.ThemeCode, t => (int)t.Level, StringComparer.Ordinal),
            CountriesOfExperience = e.CountriesOfExperience.ToFrozenSet(StringComparer.Ordinal),
            Unavailability = unavailability[e.Id].Select(u => new DayRange(u.From, u.To)).ToArray(),
            Deployments = deployments[e.Id].Select(d => new PastDeployment(new DayRange(d.From, d.To), d.Countries, d.Themes, d.Rating, d.Recommendation switch
            {
                "redeploy" => Recommendation.Redeploy,
                "redeploy_other_area" => Recommendation.RedeployOtherArea,
                "do_not_redeploy" => Recommendation.DoNotRedeploy,
                _ => null,
            })).ToArray(),
        }).ToList();
    }

    private sealed record ExpertRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Nationality { get; init; } = "";
        public string? MemberState { get; init; }
        public string Gender { get; init; } = "";
        public string Status { get; init; } = "";
        public bool HasConsent { get; init; }
        public string[] CountriesOfExperience { get; init; } = [];
    }

    private sealed record LanguageRow(Guid ExpertId, string LanguageCode, short LevelRank);

    private sealed record ThemeRow(Guid ExpertId, string ThemeCode, short Level);

    private sealed record PeriodRow(Guid ExpertId, DateOnly From, DateOnly To);

    private sealed record DeploymentRow
    {
        public Guid ExpertId { get; init; }
        public DateOnly From { get; init; }
        public DateOnly To { get; init; }
        public string[] Countries { get; init; } = [];
        public string[] Themes { get; init; } = [];
        public short? Rating { get; init; }
        public string? Recommendation { get; init; }
    }
}
