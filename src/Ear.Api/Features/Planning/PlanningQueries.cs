using Dapper;
using Npgsql;

namespace Ear.Api.Features.Planning;

internal static class PlanningQueries
{
    public const string Columns = "id, action_id, requested_by, requested_at, status, accepted_by, accepted_at, response::text AS response";

    /// <summary>Who is deployed (live deployments) on each activity of the action.</summary>
    public static async Task<ILookup<Guid, Guid>> DeployedOnAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid actionId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.activity_id, d.expert_id
            FROM deployments d JOIN activities ac ON ac.id = d.activity_id
            WHERE ac.action_id = @actionId AND d.cancelled_at IS NULL
            ORDER BY d.activity_id, d.expert_id
            """;
        return (await connection.QueryAsync<(Guid ActivityId, Guid ExpertId)>(new CommandDefinition(sql, new { actionId }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(d => d.ActivityId, d => d.ExpertId);
    }

    public static Task<PlanRow?> GetAsync(NpgsqlConnection connection, Guid actionId, Guid planId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM action_plans WHERE id = @planId AND action_id = @actionId";
        return connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { actionId, planId }, cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlyList<PlanRow>> ListAsync(NpgsqlConnection connection, Guid actionId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM action_plans WHERE action_id = @actionId ORDER BY requested_at DESC, id DESC";
        return (await connection.QueryAsync<PlanRow>(new CommandDefinition(sql, new { actionId }, cancellationToken: cancellationToken))).AsList();
    }
}
