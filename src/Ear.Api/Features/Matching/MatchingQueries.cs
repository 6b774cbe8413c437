using Dapper;
using Npgsql;

namespace Ear.Api.Features.Matching;

internal static class MatchingQueries
{
    public static Task<RunRow?> GetRunAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, action_id, requested_by, requested_at, request::text AS request, response::text AS response FROM matching_runs WHERE id = @id";
        return connection.QuerySingleOrDefaultAsync<RunRow?>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }
}
