using Dapper;
using Npgsql;

namespace Ear.Api.Features.Retention;

internal sealed record ReconfirmationRow
{
    public Guid ExpertId { get; init; }
    public string GivenName { get; init; } = "";
    public string FamilyName { get; init; } = "";
    public string? Email { get; init; }
    public string? MemberState { get; init; }
    public DateTimeOffset ConfirmedAt { get; init; }
    public DateTimeOffset? PendingSince { get; init; }
}

internal static class ReconfirmationQueries
{
    /// <summary>Experts suspended, or due within the notice period, by member state then due date; the caller's scope in the WHERE.</summary>
    public static async Task<IReadOnlyList<ReconfirmationRow>> DueAsync(NpgsqlConnection connection, string? memberState, string? scopeMemberState,
        DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS expert_id, given_name, family_name, email, member_state, confirmed_at, pending_reconfirmation_since AS pending_since
            FROM experts
            WHERE erased_at IS NULL
              AND (pending_reconfirmation_since IS NOT NULL OR confirmed_at <= @dueBefore)
              AND (@memberState::char(2) IS NULL OR member_state = @memberState::char(2))
              AND (@scopeMemberState::char(2) IS NULL OR member_state = @scopeMemberState::char(2))
            ORDER BY member_state NULLS LAST, confirmed_at, id
            """;
        return (await connection.QueryAsync<ReconfirmationRow>(new CommandDefinition(sql, new { memberState, scopeMemberState, dueBefore },
            cancellationToken: cancellationToken))).AsList();
    }
}
