using Dapper;
using Npgsql;

namespace Ear.Api.Features.Matching;

internal static class MatchingWrites
{
    public static Task InsertRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, Guid actionId, Guid requestedBy,
        string request, string response, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO matching_runs (id, action_id, requested_by, requested_at, request, response)
            VALUES (@runId, @id, @requestedBy, now(), @request::jsonb, @response::jsonb)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { runId, id = actionId, requestedBy, request, response }, transaction, cancellationToken: cancellationToken));
    }
}
