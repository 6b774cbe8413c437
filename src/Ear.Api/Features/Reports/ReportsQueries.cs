using System.Runtime.InteropServices;
using Dapper;
using Npgsql;

namespace Ear.Api.Features.Reports;

/// <summary>
/// The figures of the reports, each defined in one place. Dates are inclusive; a timestamp counts on
/// its date in the database's time zone. The pool at a date D: experts created on or before D, with
/// consent recorded on or before D, active, and not erased on or before D (erasure keeps an anonymised
/// row, so past figures do not change), read from pool_ledger (0010_report_ledgers.sql). A deployment
/// belongs to the period its first day falls in, with the expert's attributes at booking; cancelled
/// ones never count.
/// </summary>
internal static class ReportsQueries
{
    public static async Task<SummaryRow> SummaryAsync(NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        const string sql = """
            -- The pool's figures and its breakdown by member state ('' for none; added up here for the totals),
            -- as sums of pool_ledger's days up to @to and before @from: the whole months before the date's month
            -- from pool_month_ledger (0022), the days of its month from pool_ledger.
            SELECT x.member_state,
                   coalesce(sum(x.pool_delta) FILTER (WHERE x.to_to), 0)::bigint AS pool_size,
                   coalesce(sum(x.pool_delta) FILTER (WHERE x.before_from), 0)::bigint AS pool_before,
                   (coalesce(sum(x.created) FILTER (WHERE x.to_to), 0) - coalesce(sum(x.created) FILTER (WHERE x.before_from), 0))::bigint AS new_experts
            FROM (SELECT m.member_state, m.pool_delta, m.created, true AS to_to, m.start_month < @fromMonth AS before_from
                  FROM pool_month_ledger m
                  WHERE m.start_month < @toMonth
                  UNION ALL
                  SELECT l.member_state, l.pool_delta, l.created, l.day >= @toMonth AND l.day <= @to, l.day >= @fromMonth AND l.day < @from
                  FROM pool_ledger l
                  WHERE l.day BETWEEN @toMonth AND @to OR (l.day >= @fromMonth AND l.day < @from)) x
            GROUP BY x.member_state;

            -- Deployments with first day in the window: whole months from deployment_month_ledger (0022, the
            -- sums of deployment_ledger's months), the partial edge months from deployments.
            SELECT (SELECT coalesce(sum(m.deployments), 0) FROM deployment_month_ledger m WHERE m.start_month BETWEEN @wholeFrom AND @wholeTo)
                 + (SELECT count(*) FROM deployments d
                    WHERE d.cancelled_at IS NULL
                      AND (lower(d.period) BETWEEN @from AND @edgeOneTo OR lower(d.period) BETWEEN @edgeTwoFrom AND @to)) AS deployments;

            -- One row per expert, as they were at their latest deployment in the period: an expert booked
            -- twice with different details (a new member state, a corrected gender) is one expert, so the
            -- groups add up to experts_deployed and no share can pass 1. That latest deployment is the one
            -- with first day in the period whose expert's next live deployment starts after @to, or never.
            WITH edge AS (
                SELECT d.expert_kind, d.expert_gender, d.expert_nationality, coalesce(d.expert_member_state, '')::text AS member_state,
                       (SELECT min(lower(n.period)) FROM deployments n
                        WHERE n.expert_id = d.expert_id AND n.cancelled_at IS NULL AND lower(n.period) > lower(d.period)) AS next_start
                FROM deployments d
                WHERE d.cancelled_at IS NULL
                  AND (lower(d.period) BETWEEN @from AND @edgeOneTo OR lower(d.period) BETWEEN @edgeTwoFrom AND @to)
            ), late AS (
                -- Deployments of the whole months whose next start falls in @to's month after @to: found from
                -- those next deployments (none when @to ends its month).
                SELECT p.expert_kind, p.expert_gender, p.expert_nationality, coalesce(p.expert_member_state, '')::text AS member_state
                FROM deployments n
                CROSS JOIN LATERAL (SELECT p.expert_kind, p.expert_gender, p.expert_nationality, p.expert_member_state, lower(p.period) AS start
                                    FROM deployments p
                                    WHERE p.expert_id = n.expert_id AND p.cancelled_at IS NULL AND lower(p.period) < lower(n.period)
                                    ORDER BY lower(p.period) DESC LIMIT 1) p
                WHERE n.cancelled_at IS NULL AND lower(n.period) > @to AND lower(n.period) <= @toMonthEnd
                  AND p.start BETWEEN @wholeFrom AND @wholeTo
            ), counted AS (
                SELECT l.expert_kind, l.expert_gender, l.expert_nationality, l.expert_member_state AS member_state, sum(l.deployments) AS experts
                FROM deployment_ledger l
                WHERE l.start_month BETWEEN @wholeFrom AND @wholeTo AND l.next_month > @toMonth
                GROUP BY 1, 2, 3, 4
                UNION ALL
                SELECT e.expert_kind, e.expert_gender, e.expert_nationality, e.member_state, count(*)
                FROM edge e WHERE e.next_start IS NULL OR e.next_start > @to
                GROUP BY 1, 2, 3, 4
                UNION ALL
                SELECT x.expert_kind, x.expert_gender, x.expert_nationality, x.member_state, count(*)
                FROM late x
                GROUP BY 1, 2, 3, 4
            )
            SELECT c.expert_kind AS kind, c.expert_gender AS gender, c.expert_nationality AS nationality,
                   nullif(c.member_state, '') AS member_state, sum(c.experts)::bigint AS experts
            FROM counted c
            GROUP BY 1, 2, 3, 4
            HAVING sum(c.experts) <> 0;

            SELECT s.to_status AS key, count(*) AS value
            FROM (SELECT DISTINCT ON (c.action_id) c.action_id, c.to_status
                  FROM action_status_changes c
                  WHERE c.changed_at < (@to::date + 1)
                  ORDER BY c.action_id, c.changed_at DESC, c.id DESC) s
            GROUP BY s.to_status;

            SELECT a.region, a.themes, a.beneficiary_countries
            FROM actions a
            WHERE a.period && daterange(@from, @to, '[]')
              AND a.status NOT IN ('rejected', 'transferred');

            SELECT count(*) FROM actions a WHERE coalesce(a.requested_at, a.created_at::date) BETWEEN @from AND @to;

            -- Activities with first day in the window, by type: whole months from activity_ledger (0022), the
            -- partial edge months from activities.
            SELECT x.type AS key, sum(x.activities)::bigint AS value
            FROM (SELECT l.type, l.activities FROM activity_ledger l WHERE l.start_month BETWEEN @wholeFrom AND @wholeTo
                  UNION ALL
                  SELECT ac.type, 1 FROM activities ac
                  WHERE lower(ac.period) BETWEEN @from AND @edgeOneTo OR lower(ac.period) BETWEEN @edgeTwoFrom AND @to) x
            GROUP BY x.type
            HAVING sum(x.activities) <> 0;
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, LedgerWindow.Of(from, to), cancellationToken: cancellationToken));
        var pool = (await results.ReadAsync<PoolRow>()).AsList();
        var deploymentCount = await results.ReadSingleAsync<long>();
        var deployed = (await results.ReadAsync<DeployedGroup>()).AsList();
        var deployments = (Deployments: deploymentCount, ExpertsDeployed: deployed.Sum(g => g.Experts));
        var poolByMemberState = pool.Where(p => p.MemberState != "" && p.PoolSize != 0).ToDictionary(p => p.MemberState.Trim(), p => p.PoolSize);
        var actionsByStatus = (await results.ReadAsync<Count>()).ToDictionary(c => c.Key, c => c.Value);
        // Counted as they are read: a window of many years holds every action (40,000 at 1,000,000 experts),
        // and a list of them grouped five times over took longer than the whole statement.
        var activeActions = new ActiveActionFigures();
        foreach (var action in await results.ReadAsync<ActiveAction>(buffered: false))
        {
            activeActions.Add(action);
        }

        var newRequests = await results.ReadSingleAsync<long>();
        var activitiesByType = (await results.ReadAsync<Count>()).ToDictionary(c => c.Key, c => c.Value);
        return new SummaryRow(pool.Sum(p => p.PoolSize), pool.Sum(p => p.PoolBefore), pool.Sum(p => p.NewExperts), deployments.Deployments, deployments.ExpertsDeployed,
            deployed, poolByMemberState, actionsByStatus, activeActions, newRequests, activitiesByType);
    }

    public static async Task<IReadOnlyList<MemberStateRow>> MemberStatesAsync(NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH states AS (
                SELECT DISTINCT m.country_code AS member_state
                FROM eu_memberships m
                WHERE m.period && daterange(@from, @to, '[]')
            ), pool AS (
                -- The pool at @to: the months before its month from pool_month_ledger, the days of its month from pool_ledger.
                SELECT x.member_state, sum(x.pool_delta) AS experts
                FROM (SELECT m.member_state, m.pool_delta FROM pool_month_ledger m WHERE m.start_month < @toMonth
                      UNION ALL
                      SELECT l.member_state, l.pool_delta FROM pool_ledger l WHERE l.day BETWEEN @toMonth AND @to) x
                WHERE x.member_state <> ''
                GROUP BY x.member_state
            ), ever AS (
                -- Experts ever deployed per member state up to @to: the pair-firsts (an expert's first live
                -- deployment with that member state) of the whole months up to @to's, then of @to's month.
                SELECT x.member_state, sum(x.experts) AS experts
                FROM (SELECT l.expert_member_state AS member_state, l.pair_firsts AS experts
                      FROM deployment_ledger l
                      WHERE l.start_month <= @wholeTo AND l.expert_member_state <> ''
                      UNION ALL
                      SELECT d.expert_member_state::text, 1
                      FROM deployments d
                      WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @everEdgeFrom AND @to AND d.expert_member_state IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM deployments e
                                        WHERE e.expert_id = d.expert_id AND e.cancelled_at IS NULL
                                          AND lower(e.period) < lower(d.period) AND e.expert_member_state = d.expert_member_state)) x
                GROUP BY x.member_state
            ), period AS (
                -- Deployments in the period per member state: whole months from the ledger, edge months from deployments.
                SELECT x.member_state, sum(x.deployments) AS deployments
                FROM (SELECT l.expert_member_state AS member_state, l.deployments
                      FROM deployment_ledger l
                      WHERE l.start_month BETWEEN @wholeFrom AND @wholeTo
                      UNION ALL
                      SELECT coalesce(d.expert_member_state, '')::text, 1
                      FROM deployments d
                      WHERE d.cancelled_at IS NULL
                        AND (lower(d.period) BETWEEN @from AND @edgeOneTo OR lower(d.period) BETWEEN @edgeTwoFrom AND @to)) x
                GROUP BY x.member_state
            )
            SELECT s.member_state,
                   coalesce(pool.experts, 0)::bigint AS experts_in_pool,
                   coalesce(ever.experts, 0)::bigint AS experts_ever_deployed,
                   coalesce(period.deployments, 0)::bigint AS deployments_in_period,
                   (SELECT coalesce(sum(p.deployments), 0) FROM period p)::bigint AS all_deployments_in_period
            FROM states s
            LEFT JOIN pool ON pool.member_state = s.member_state
            LEFT JOIN ever ON ever.member_state = s.member_state
            LEFT JOIN period ON period.member_state = s.member_state
            ORDER BY s.member_state
            """;
        return (await connection.QueryAsync<MemberStateRow>(new CommandDefinition(sql, LedgerWindow.Of(from, to), cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// A window cut for deployment_ledger (0019_deployment_ledger.sql): its whole months
    /// [WholeFrom, WholeTo] (none when WholeFrom &gt; WholeTo) are summed from the ledger; the days before
    /// them [From, EdgeOneTo] and after them [EdgeTwoFrom, To] are read from deployments. ToMonth is the
    /// first day of To's month, ToMonthEnd its last; EverEdgeFrom the first day after the whole months
    /// up to To (experts ever deployed). FromMonth is the first day of From's month (the pool before From, from
    /// pool_month_ledger and pool_ledger).
    /// </summary>
    internal sealed record LedgerWindow(DateOnly From, DateOnly To, DateOnly WholeFrom, DateOnly WholeTo, DateOnly EdgeOneTo,
        DateOnly EdgeTwoFrom, DateOnly ToMonth, DateOnly ToMonthEnd, DateOnly EverEdgeFrom, DateOnly FromMonth)
    {
        public static LedgerWindow Of(DateOnly from, DateOnly to)
        {
            var wholeFrom = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
            var toMonth = new DateOnly(to.Year, to.Month, 1);
            var toMonthEnd = toMonth.AddMonths(1).AddDays(-1);
            var wholeTo = to == toMonthEnd ? to : toMonth.AddDays(-1);
            var edgeOneTo = wholeFrom.AddDays(-1) < to ? wholeFrom.AddDays(-1) : to;
            var edgeTwoFrom = wholeTo.AddDays(1) > wholeFrom ? wholeTo.AddDays(1) : wholeFrom;
            return new LedgerWindow(from, to, wholeFrom, wholeTo, edgeOneTo, edgeTwoFrom, toMonth, toMonthEnd, wholeTo.AddDays(1),
                new DateOnly(from.Year, from.Month, 1));
        }
    }

    internal sealed record Count(string Key, long Value);

    /// <summary>One member state's ('' for none) pool at the window's end and before it, and its experts created in it.</summary>
    internal sealed record PoolRow
    {
        public string MemberState { get; init; } = "";
        public long PoolSize { get; init; }
        public long PoolBefore { get; init; }
        public long NewExperts { get; init; }
    }

    internal sealed record DeployedGroup
    {
        public string Kind { get; init; } = "";
        public string Gender { get; init; } = "";
        public string Nationality { get; init; } = "";
        public string? MemberState { get; init; }
        public long Experts { get; init; }
    }

    internal sealed record ActiveAction
    {
        public string? Region { get; init; }
        public string[] Themes { get; init; } = [];
        public string[] BeneficiaryCountries { get; init; } = [];
    }

    /// <summary>
    /// The active actions of a window, counted: in all, by region (those without one left out), under each of
    /// their theme codes, once under each theme area their themes fall in, and their partner countries.
    /// </summary>
    internal sealed class ActiveActionFigures
    {
        public long Count { get; private set; }
        public Dictionary<string, long> ByRegion { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> ByTheme { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> ByThemeArea { get; } = new(StringComparer.Ordinal);
        public HashSet<string> PartnerCountries { get; } = new(StringComparer.Ordinal);

        public void Add(ActiveAction action)
        {
            Count++;
            if (action.Region is { } region)
            {
                Increment(ByRegion, region);
            }

            for (var i = 0; i < action.Themes.Length; i++)
            {
                var theme = action.Themes[i];
                Increment(ByTheme, theme);
                var area = AreaOf(theme);
                var seen = false;
                for (var j = 0; j < i && !seen; j++)
                {
                    seen = AreaOf(action.Themes[j]).SequenceEqual(area);
                }

                if (!seen)
                {
                    Increment(ByThemeArea, area.ToString());
                }
            }

            foreach (var country in action.BeneficiaryCountries)
            {
                PartnerCountries.Add(country.Trim());
            }
        }

        /// <summary>A theme code's area: what comes before its first dot ("irregular" of "irregular.trafficking").</summary>
        private static ReadOnlySpan<char> AreaOf(string theme) => theme.AsSpan(0, theme.IndexOf('.') is var dot and >= 0 ? dot : theme.Length);

        private static void Increment(Dictionary<string, long> counts, string key) =>
            CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;
    }

    internal sealed record MemberStateRow
    {
        public string MemberState { get; init; } = "";
        public long ExpertsInPool { get; init; }
        public long ExpertsEverDeployed { get; init; }
        public long DeploymentsInPeriod { get; init; }
        public long AllDeploymentsInPeriod { get; init; }
    }

    internal sealed record SummaryRow(
        long PoolSize, long PoolBefore, long NewExperts, long Deployments, long ExpertsDeployed,
        IReadOnlyList<DeployedGroup> Deployed, IReadOnlyDictionary<string, long> PoolByMemberState,
        IReadOnlyDictionary<string, long> ActionsByStatus, ActiveActionFigures ActiveActions, long NewRequests,
        IReadOnlyDictionary<string, long> ActivitiesByType);
}
