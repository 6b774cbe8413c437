using Dapper;
using Npgsql;

namespace Ear.Api.Features.Retention;

internal static class ReconfirmationWrites
{
    /// <summary>
    /// Records the confirmation at <paramref name="at"/> and restarts the clock; the caller holds the expert's row. A new
    /// version: the profile shows confirmedAt and profileState, so its ETag must change with them.
    /// </summary>
    public static Task ReconfirmAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, Guid by, string basis,
        string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE experts SET confirmed_at = @at, pending_reconfirmation_since = NULL, version = version + 1, updated_at = now() WHERE id = @expertId;
            INSERT INTO expert_confirmations (expert_id, confirmed_at, confirmed_by, basis, note) VALUES (@expertId, @at, @by, @basis, @note);
            """, new { expertId, by, basis, note, at }, transaction, cancellationToken: cancellationToken));
}
