using Dapper;
using Npgsql;

namespace Ear.Api.Features.Deployments;

internal sealed record DeploymentRow
{
    public Guid Id { get; init; }
    public Guid ExpertId { get; init; }
    public string Role { get; init; } = "";
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public Guid? CancelledBy { get; init; }
    public string? CancelReason { get; init; }
    public Guid ActionId { get; init; }
    public string ActionCode { get; init; } = "";
    public string ActionTitle { get; init; } = "";
    public string[] BeneficiaryCountries { get; init; } = [];
    public string? Region { get; init; }
    public string[] Themes { get; init; } = [];
    public Guid ActivityId { get; init; }
    public string ActivityType { get; init; } = "";
    public string ActivityTitle { get; init; } = "";
    public string? ActivityCountry { get; init; }
    public short? Rating { get; init; }
    public string? Recommendation { get; init; }
    public string? Comment { get; init; }
    public DateTimeOffset? EvaluatedAt { get; init; }
}

internal static class DeploymentsQueries
{
    private const string Select = """
        SELECT d.id, d.expert_id, d.role, lower(d.period) AS from, upper(d.period) - 1 AS to,
               d.cancelled_at, d.cancelled_by, d.cancel_reason,
               a.id AS action_id, a.code AS action_code, a.title AS action_title, a.beneficiary_countries, a.region, a.themes,
               ac.id AS activity_id, ac.type AS activity_type, ac.title AS activity_title, ac.country AS activity_country,
               ev.rating, ev.recommendation, ev.comment, ev.evaluated_at
        FROM deployments d
        JOIN activities ac ON ac.id = d.activity_id
        JOIN actions a ON a.id = ac.action_id
        LEFT JOIN evaluations ev ON ev.deployment_id = d.id
        """;

    public static async Task<DeploymentRow?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<DeploymentRow>(new CommandDefinition($"{Select} WHERE d.id = @id", new { id }, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<DeploymentRow>> ForExpertAsync(NpgsqlConnection connection, Guid expertId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DeploymentRow>(new CommandDefinition(
            $"{Select} WHERE d.expert_id = @expertId ORDER BY lower(d.period), d.id", new { expertId }, cancellationToken: cancellationToken))).AsList();

    public static async Task<IReadOnlyList<DeploymentRow>> ForActionAsync(NpgsqlConnection connection, Guid actionId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DeploymentRow>(new CommandDefinition(
            $"{Select} WHERE a.id = @actionId ORDER BY lower(d.period), d.id", new { actionId }, cancellationToken: cancellationToken))).AsList();

    /// <summary>The live deployments of an expert that share a day with from..to.</summary>
    public static async Task<IReadOnlyList<DeploymentRow>> ClashingAsync(NpgsqlConnection connection, Guid expertId, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DeploymentRow>(new CommandDefinition(
            $"{Select} WHERE d.expert_id = @expertId AND d.cancelled_at IS NULL AND d.period && daterange(@from, @to, '[]') ORDER BY lower(d.period)",
            new { expertId, from, to }, cancellationToken: cancellationToken))).AsList();

    /// <summary>The live deployments of an expert whose days include <paramref name="today"/>.</summary>
    public static async Task<IReadOnlyList<DeploymentRow>> InProgressAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, DateOnly today, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<DeploymentRow>(new CommandDefinition(
            $"{Select} WHERE d.expert_id = @expertId AND d.cancelled_at IS NULL AND d.period @> @today ORDER BY lower(d.period), d.id",
            new { expertId, today }, transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>The live deployments of an expert that share a day with any of <paramref name="periods"/> (inclusive dates).</summary>
    public static async Task<IReadOnlyList<DeploymentRow>> LiveWithinAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, IReadOnlyList<(DateOnly From, DateOnly To)> periods,
        CancellationToken cancellationToken)
    {
        if (periods.Count == 0)
        {
            return [];
        }

        const string where = """
            WHERE d.expert_id = @expertId AND d.cancelled_at IS NULL
              AND EXISTS (SELECT 1 FROM unnest(@froms::date[], @tos::date[]) AS p (from_date, to_date)
                          WHERE d.period && daterange(p.from_date, p.to_date, '[]'))
            ORDER BY lower(d.period), d.id
            """;
        return (await connection.QueryAsync<DeploymentRow>(new CommandDefinition(
            $"{Select} {where}",
            new { expertId, froms = periods.Select(p => p.From).ToArray(), tos = periods.Select(p => p.To).ToArray() },
            transaction, cancellationToken: cancellationToken))).AsList();
    }
}
