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
internal sealed class RosterSnapshot(Ear.Api.Platform.Database.ReadReplicas dataSource, TimeProvider clock, ILogger<RosterSnapshot> logger) : IDisposable
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

                Ear.Api.Platform.Telemetry.EarMetrics.RosterCaughtUp(changed.Length, _current.Count);
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
        Ear.Api.Platform.Telemetry.EarMetrics.RosterLoaded(all.Count);
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

        // Rows are streamed into each expert's record rather than all held at once (millions of rows at a
        // million experts), and each code, and each list of codes, is kept once: a million experts repeat a
        // few hundred country, language and theme codes, and every expert of an activity the same lists.
        var codes = new Interner();
        var experts = new Dictionary<Guid, Record>();
        foreach (var e in await results.ReadAsync<ExpertRow>())
        {
            experts[e.Id] = new Record(e);
        }

        await foreach (var l in results.ReadUnbufferedAsync<LanguageRow>().WithCancellation(cancellationToken))
        {
            experts.GetValueOrDefault(l.ExpertId)?.Languages.Add((codes.Of(l.LanguageCode), l.LevelRank));
        }

        await foreach (var t in results.ReadUnbufferedAsync<ThemeRow>().WithCancellation(cancellationToken))
        {
            experts.GetValueOrDefault(t.ExpertId)?.Themes.Add((codes.Of(t.ThemeCode), t.Level));
        }

        await foreach (var u in results.ReadUnbufferedAsync<PeriodRow>().WithCancellation(cancellationToken))
        {
            experts.GetValueOrDefault(u.ExpertId)?.Unavailability.Add(new DayRange(u.From, u.To));
        }

        await foreach (var d in results.ReadUnbufferedAsync<DeploymentRow>().WithCancellation(cancellationToken))
        {
            experts.GetValueOrDefault(d.ExpertId)?.Deployments.Add(new PastDeployment(new DayRange(d.From, d.To), codes.Of(d.Countries), codes.Of(d.Themes), d.Rating, d.Recommendation switch
            {
                "redeploy" => Recommendation.Redeploy,
                "redeploy_other_area" => Recommendation.RedeployOtherArea,
                "do_not_redeploy" => Recommendation.DoNotRedeploy,
                _ => null,
            }));
        }

        return experts.Values.Select(r => new Candidate
        {
            Id = r.Expert.Id,
            Kind = ExpertVocabulary.Kinds[r.Expert.Kind],
            Nationality = codes.Of(r.Expert.Nationality),
            MemberState = r.Expert.MemberState is { } state ? codes.Of(state) : null,
            IsWoman = r.Expert.Gender == "female",
            Gender = codes.Of(r.Expert.Gender),
            IsActive = r.Expert.Status == "active",
            HasConsent = r.Expert.HasConsent,
            Languages = r.Languages.ToFrozenDictionary(l => l.Code, l => (int)l.Rank, StringComparer.Ordinal),
            Themes = r.Themes.ToFrozenDictionary(t => t.Code, t => (int)t.Level, StringComparer.Ordinal),
            CountriesOfExperience = r.Expert.CountriesOfExperience.Select(codes.Of).ToFrozenSet(StringComparer.Ordinal),
            Unavailability = [.. r.Unavailability],
            Deployments = [.. r.Deployments],
        }).ToList();
    }

    /// <summary>One expert's rows as they arrive.</summary>
    private sealed record Record(ExpertRow Expert)
    {
        public List<(string Code, short Rank)> Languages { get; } = [];
        public List<(string Code, short Level)> Themes { get; } = [];
        public List<DayRange> Unavailability { get; } = [];
        public List<PastDeployment> Deployments { get; } = [];
    }

    /// <summary>Hands out one shared copy of each distinct code and of each distinct list of codes.</summary>
    private sealed class Interner
    {
        private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string[]> _lists = new(StringComparer.Ordinal);

        public string Of(string code) => _codes.TryGetValue(code, out var shared) ? shared : _codes[code] = code;

        public string[] Of(string[] list)
        {
            var key = string.Join('\u001f', list);
            return _lists.TryGetValue(key, out var shared) ? shared : _lists[key] = list.Select(Of).ToArray();
        }
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
