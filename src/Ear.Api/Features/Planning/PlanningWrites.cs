using Dapper;
using Npgsql;

namespace Ear.Api.Features.Planning;

internal static class PlanningWrites
{
    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid actionId, Guid requestedBy,
        DateTimeOffset requestedAt, string request, string response, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO action_plans (id, action_id, requested_by, requested_at, request, response, status)
            VALUES (@id, @actionId, @requestedBy, @requestedAt, @request::jsonb, @response::jsonb, 'proposed')
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { id, actionId, requestedBy, requestedAt, request, response }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The plan, held until the transaction ends, so that two acceptances of it cannot both book.</summary>
    public static Task<PlanRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid actionId, Guid planId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {PlanningQueries.Columns} FROM action_plans WHERE id = @planId AND action_id = @actionId FOR UPDATE";
        return connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { actionId, planId }, transaction, cancellationToken: cancellationToken));
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
