using Dapper;
using Npgsql;

namespace Ear.Api.Features.Changes;

internal static class ChangesQueries
{
    internal const string Columns = """
        c.position, e.seq, e.id, e.type, e.resource_type, e.resource_id, e.member_state, e.key_id, e.occurred_at,
        c.committed_at, e.data::text AS data
        """;

    /// <summary>
    /// The events after <paramref name="after"/> in commit order. Only positioned commits are read: a position is
    /// assigned just before commit and becomes visible in increasing order (migration 0021), so every event this
    /// misses now has a greater position than the last one it returns. A focal point reads the events that concern
    /// no expert (actions, activities, matching runs) and those of its own member state's experts.
    /// </summary>
    public static async Task<IReadOnlyList<ChangeRow>> AfterAsync(NpgsqlConnection connection, ChangeCursor after, IReadOnlyList<string>? types,
        string? scopeMemberState, int limit, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM change_commits c
            JOIN change_events e ON e.xid = c.xid
            WHERE c.position >= @position AND (c.position, e.seq) > (@position, @seq)
              AND (@types::text[] IS NULL OR e.type = ANY(@types::text[]))
              AND (@scopeMemberState::char(2) IS NULL OR e.expert_id IS NULL OR e.member_state = @scopeMemberState::char(2))
            ORDER BY c.position, e.seq
            LIMIT @limit
            """;
        return (await connection.QueryAsync<ChangeRow>(new CommandDefinition(sql,
            new { position = after.Position, seq = after.Seq, types = types?.ToArray(), scopeMemberState, limit },
            transaction, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The last feed place trimmed away (Changes:RetentionDays): a cursor before it would skip changes.</summary>
    public static async Task<ChangeCursor> TrimmedThroughAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (position, seq) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT trimmed_through, trimmed_seq FROM change_feed_horizon", cancellationToken: cancellationToken));
        return new ChangeCursor(position, seq);
    }
}
