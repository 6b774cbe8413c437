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
            SELECT coalesce(sum(pool_delta) FILTER (WHERE day <= @to), 0) AS pool_size,
                   coalesce(sum(pool_delta) FILTER (WHERE day < @from), 0) AS pool_before,
                   coalesce(sum(created) FILTER (WHERE day BETWEEN @from AND @to), 0) AS new_experts
            FROM pool_ledger
            WHERE day <= @to;

            -- DISTINCT in a subquery is hashed; count(DISTINCT ...) would sort hundreds of thousands of rows.
            SELECT (SELECT count(*) FROM deployments d WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to) AS deployments,
                   (SELECT count(*) FROM (SELECT DISTINCT d.expert_id FROM deployments d
                                          WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to) x) AS experts_deployed;

            SELECT x.expert_kind AS kind, x.expert_gender AS gender, x.expert_nationality AS nationality,
                   x.expert_member_state AS member_state, count(*) AS experts
            -- One row per expert, as they were at their latest deployment in the period: an expert booked
            -- twice with different details (a new member state, a corrected gender) is one expert, so the
            -- groups add up to experts_deployed and no share can pass 1.
            FROM (SELECT DISTINCT ON (d.expert_id) d.expert_id, d.expert_kind, d.expert_gender, d.expert_nationality, d.expert_member_state
                  FROM deployments d
                  WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to
                  ORDER BY d.expert_id, lower(d.period) DESC, d.id DESC) x
            GROUP BY 1, 2, 3, 4;

            SELECT member_state AS key, sum(pool_delta)::bigint AS value
            FROM pool_ledger
            WHERE day <= @to AND member_state <> ''
            GROUP BY member_state
            HAVING sum(pool_delta) <> 0;

            SELECT s.to_status AS key, count(*) AS value
            FROM (SELECT DISTINCT ON (c.action_id) c.action_id, c.to_status
                  FROM action_status_changes c
                  WHERE c.changed_at < (@to::date + 1)
                  ORDER BY c.action_id, c.changed_at DESC, c.id DESC) s
            GROUP BY s.to_status;

            SELECT a.id, a.region, a.themes, a.beneficiary_countries
            FROM actions a
            WHERE a.period && daterange(@from, @to, '[]')
              AND a.status NOT IN ('rejected', 'transferred');

            SELECT count(*) FROM actions a WHERE coalesce(a.requested_at, a.created_at::date) BETWEEN @from AND @to;

            SELECT ac.type AS key, count(*) AS value
            FROM activities ac
            WHERE lower(ac.period) BETWEEN @from AND @to
            GROUP BY ac.type;
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { from, to }, cancellationToken: cancellationToken));
        var pool = await results.ReadSingleAsync<(long PoolSize, long PoolBefore, long NewExperts)>();
        var deployments = await results.ReadSingleAsync<(long Deployments, long ExpertsDeployed)>();
        var deployed = (await results.ReadAsync<DeployedGroup>()).AsList();
        var poolByMemberState = (await results.ReadAsync<Count>()).ToDictionary(c => c.Key.Trim(), c => c.Value);
        var actionsByStatus = (await results.ReadAsync<Count>()).ToDictionary(c => c.Key, c => c.Value);
        var activeActions = (await results.ReadAsync<ActiveAction>()).AsList();
        var newRequests = await results.ReadSingleAsync<long>();
        var activitiesByType = (await results.ReadAsync<Count>()).ToDictionary(c => c.Key, c => c.Value);
        return new SummaryRow(pool.PoolSize, pool.PoolBefore, pool.NewExperts, deployments.Deployments, deployments.ExpertsDeployed,
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
                SELECT member_state, sum(pool_delta) AS experts
                FROM pool_ledger
                WHERE day <= @to AND member_state <> ''
                GROUP BY member_state
            ), ever AS (
                SELECT x.expert_member_state AS member_state, count(*) AS experts
                FROM (SELECT DISTINCT d.expert_id, d.expert_member_state FROM deployments d
                      WHERE d.cancelled_at IS NULL AND lower(d.period) <= @to AND d.expert_member_state IS NOT NULL) x
                GROUP BY x.expert_member_state
            ), period AS (
                SELECT d.expert_member_state AS member_state, count(*) AS deployments
                FROM deployments d
                WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to
                GROUP BY d.expert_member_state
            )
            SELECT s.member_state,
                   coalesce(pool.experts, 0)::bigint AS experts_in_pool,
                   coalesce(ever.experts, 0) AS experts_ever_deployed,
                   coalesce(period.deployments, 0) AS deployments_in_period,
                   (SELECT coalesce(sum(p.deployments), 0) FROM period p)::bigint AS all_deployments_in_period
            FROM states s
            LEFT JOIN pool ON pool.member_state = s.member_state
            LEFT JOIN ever ON ever.member_state = s.member_state
            LEFT JOIN period ON period.member_state = s.member_state
            ORDER BY s.member_state
            """;
        return (await connection.QueryAsync<MemberStateRow>(new CommandDefinition(sql, new { from, to }, cancellationToken: cancellationToken))).AsList();
    }

    internal sealed record Count(string Key, long Value);

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
        public Guid Id { get; init; }
        public string? Region { get; init; }
        public string[] Themes { get; init; } = [];
        public string[] BeneficiaryCountries { get; init; } = [];
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
        IReadOnlyDictionary<string, long> ActionsByStatus, IReadOnlyList<ActiveAction> ActiveActions, long NewRequests,
        IReadOnlyDictionary<string, long> ActivitiesByType);
}
