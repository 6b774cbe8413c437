using Dapper;
using Npgsql;

namespace Ear.Api.Features.Reports;

/// <summary>
/// The figures of the reports, each defined in one place. Dates are inclusive; a timestamp counts on
/// its UTC date. The pool at a date D: experts created on or before D, with consent recorded on or
/// before D, active, and not erased on or before D (erasure keeps an anonymised row, so past figures
/// do not change). A deployment belongs to the period its first day falls in; cancelled ones never count.
/// </summary>
internal static class ReportsQueries
{
    private const string PoolAt = """
        e.created_at < (@day::date + 1) AND e.consent_recorded_at < (@day::date + 1) AND e.status = 'active'
        AND (e.erased_at IS NULL OR e.erased_at >= (@day::date + 1))
        """;

    public static async Task<SummaryRow> SummaryAsync(NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var sql = $$"""
            SELECT
                count(*) FILTER (WHERE {{PoolAt.Replace("@day", "@to", StringComparison.Ordinal)}}) AS pool_size,
                count(*) FILTER (WHERE {{PoolAt.Replace("@day", "@before", StringComparison.Ordinal)}}) AS pool_before,
                count(*) FILTER (WHERE e.created_at >= @from::date AND e.created_at < (@to::date + 1)) AS new_experts
            FROM experts e
            WHERE e.created_at < (@to::date + 1);

            SELECT count(*) AS deployments, count(DISTINCT d.expert_id) AS experts_deployed
            FROM deployments d
            WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to;

            SELECT e.kind, e.gender, e.nationality, e.member_state, count(*) AS experts
            FROM experts e
            WHERE e.id IN (SELECT d.expert_id FROM deployments d WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to)
            GROUP BY e.kind, e.gender, e.nationality, e.member_state;

            SELECT e.member_state AS key, count(*) AS value
            FROM experts e
            WHERE e.member_state IS NOT NULL AND e.created_at < (@to::date + 1) AND {{PoolAt.Replace("@day", "@to", StringComparison.Ordinal)}}
            GROUP BY e.member_state;

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
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { from, to, before = from.AddDays(-1) }, cancellationToken: cancellationToken));
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
        var sql = $"""
            WITH states AS (
                SELECT DISTINCT m.country_code AS member_state
                FROM eu_memberships m
                WHERE m.period && daterange(@from, @to, '[]')
            ), pool AS (
                SELECT e.member_state, count(*) AS experts
                FROM experts e
                WHERE e.member_state IS NOT NULL AND {PoolAt.Replace("@day", "@to", StringComparison.Ordinal)}
                GROUP BY e.member_state
            ), ever AS (
                SELECT e.member_state, count(DISTINCT e.id) AS experts
                FROM deployments d JOIN experts e ON e.id = d.expert_id
                WHERE d.cancelled_at IS NULL AND lower(d.period) <= @to AND e.member_state IS NOT NULL
                GROUP BY e.member_state
            ), period AS (
                SELECT e.member_state, count(*) AS deployments
                FROM deployments d JOIN experts e ON e.id = d.expert_id
                WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to
                GROUP BY e.member_state
            )
            SELECT s.member_state,
                   coalesce(pool.experts, 0) AS experts_in_pool,
                   coalesce(ever.experts, 0) AS experts_ever_deployed,
                   coalesce(period.deployments, 0) AS deployments_in_period,
                   (SELECT count(*) FROM deployments d WHERE d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to) AS all_deployments_in_period
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
