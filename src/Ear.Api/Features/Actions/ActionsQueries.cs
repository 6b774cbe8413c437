using Dapper;
using Npgsql;

namespace Ear.Api.Features.Actions;

/// <summary>An actions listing's filters, resolved: a theme includes its sub-themes. Null is not applied.</summary>
internal sealed record ActionFilter
{
    public string? Status { get; init; }
    public string? Region { get; init; }
    public string? Country { get; init; }
    public string[]? ThemeCodes { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
}

internal static class ActionsQueries
{
    private const string Columns = """
        a.id, a.code, a.title, a.requesting_authority, a.beneficiary_countries, a.regional_organisation, a.region,
        a.themes, a.working_languages, a.requested_at, lower(a.period) AS period_from, upper(a.period) - 1 AS period_to,
        a.status, a.created_at, a.updated_at, a.version
        """;

    // An action is listed for a period when its own period overlaps it; an open end runs on.
    private const string Filters = """
        (@Status::text IS NULL OR a.status = @Status::text)
        AND (@Region::text IS NULL OR a.region = @Region::text)
        AND (@Country::char(2) IS NULL OR a.beneficiary_countries @> ARRAY[@Country::char(2)])
        AND (@ThemeCodes::text[] IS NULL OR a.themes && @ThemeCodes::text[])
        AND (@From::date IS NULL AND @To::date IS NULL OR a.period && daterange(@From::date, @To::date, '[]'))
        """;

    public static async Task<ActionRow?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM actions a WHERE a.id = @id";
        return await connection.QuerySingleOrDefaultAsync<ActionRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>One action and its status history in one statement (one round trip); the history comes as a JSON array.</summary>
    public static async Task<ActionWithHistoryRow?> GetWithHistoryAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns},
                (SELECT coalesce(json_agg(json_build_object(
                            'fromStatus', h.from_status, 'toStatus', h.to_status, 'note', h.note,
                            'changedBy', h.changed_by, 'changedAt', h.changed_at) ORDER BY h.id), '[]')
                 FROM action_status_changes h WHERE h.action_id = a.id)::text AS status_history_json
            FROM actions a
            WHERE a.id = @id
            """;
        return await connection.QuerySingleOrDefaultAsync<ActionWithHistoryRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    public static async Task<(IReadOnlyList<ActionRow> Rows, long Total)> ListAsync(
        NpgsqlConnection connection, ActionFilter filter, Guid? after, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM actions a
            WHERE {Filters}
              AND (@After::uuid IS NULL OR a.id > @After::uuid)
            ORDER BY a.id
            LIMIT @Limit;

            SELECT count(*) FROM actions a WHERE {Filters};
            """;
        var parameters = new DynamicParameters(filter);
        parameters.Add("After", after);
        parameters.Add("Limit", limit);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<ActionRow>()).AsList();
        return (rows, await results.ReadSingleAsync<long>());
    }

    public static async Task<ILookup<Guid, StatusChangeRow>> GetHistoryAsync(NpgsqlConnection connection, Guid[] actionIds, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT action_id, from_status, to_status, note, changed_by, changed_at
            FROM action_status_changes
            WHERE action_id = ANY(@actionIds)
            ORDER BY action_id, id
            """;
        return (await connection.QueryAsync<StatusChangeRow>(new CommandDefinition(sql, new { actionIds }, cancellationToken: cancellationToken)))
            .ToLookup(c => c.ActionId);
    }

    public static async Task<IReadOnlyList<ActivityRow>> GetActivitiesAsync(NpgsqlConnection connection, Guid actionId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, action_id, type, title, lower(period) AS from, upper(period) - 1 AS to, country, remote
            FROM activities
            WHERE action_id = @actionId
            ORDER BY lower(period), id
            """;
        return (await connection.QueryAsync<ActivityRow>(new CommandDefinition(sql, new { actionId }, cancellationToken: cancellationToken))).AsList();
    }
}
