using Dapper;
using Npgsql;

namespace Ear.Api.Features.Planning;

/// <summary>A stored plan as the table holds it; response is the plan document (ActionPlan).</summary>
internal sealed record PlanRow
{
    public Guid Id { get; init; }
    public Guid ActionId { get; init; }
    public Guid? RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string Status { get; init; } = "";
    public Guid? AcceptedBy { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public string Response { get; init; } = "";
}

internal static class PlanningSql
{
    private const string Columns = "id, action_id, requested_by, requested_at, status, accepted_by, accepted_at, response::text AS response";

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

    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid actionId, Guid requestedBy,
        DateTimeOffset requestedAt, string request, string response, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO action_plans (id, action_id, requested_by, requested_at, request, response, status)
            VALUES (@id, @actionId, @requestedBy, @requestedAt, @request::jsonb, @response::jsonb, 'proposed')
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { id, actionId, requestedBy, requestedAt, request, response }, transaction, cancellationToken: cancellationToken));
    }

    public static Task<PlanRow?> GetAsync(NpgsqlConnection connection, Guid actionId, Guid planId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM action_plans WHERE id = @planId AND action_id = @actionId";
        return connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { actionId, planId }, cancellationToken: cancellationToken));
    }

    /// <summary>The plan, held until the transaction ends, so that two acceptances of it cannot both book.</summary>
    public static Task<PlanRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid actionId, Guid planId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM action_plans WHERE id = @planId AND action_id = @actionId FOR UPDATE";
        return connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { actionId, planId }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlyList<PlanRow>> ListAsync(NpgsqlConnection connection, Guid actionId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM action_plans WHERE action_id = @actionId ORDER BY requested_at DESC, id DESC";
        return (await connection.QueryAsync<PlanRow>(new CommandDefinition(sql, new { actionId }, cancellationToken: cancellationToken))).AsList();
    }

    public static Task MarkAcceptedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid planId, Guid acceptedBy, DateTimeOffset acceptedAt,
        string response, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE action_plans SET status = 'accepted', accepted_by = @acceptedBy, accepted_at = @acceptedAt, response = @response::jsonb
            WHERE id = @planId
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { planId, acceptedBy, acceptedAt, response }, transaction, cancellationToken: cancellationToken));
    }
}
