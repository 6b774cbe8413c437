using Dapper;
using Npgsql;

namespace Ear.Api.Features.Consent;

/// <summary>
/// Reads of consent. What is in force comes from the view <c>current_consents</c>, the one definition (decision 0022);
/// other features ask <see cref="IsGrantedAsync"/> rather than reading the table.
/// </summary>
internal static class ConsentQueries
{
    public static async Task<IReadOnlyList<ConsentRow>> HistoryAsync(NpgsqlConnection connection, Guid expertId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, purpose, basis, note, recorded_by, recorded_at, expires_at, withdrawn_at, withdrawn_by, withdrawal_note
            FROM expert_consents WHERE expert_id = @expertId ORDER BY id
            """;
        return (await connection.QueryAsync<ConsentRow>(new CommandDefinition(sql, new { expertId }, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<IReadOnlyList<CurrentConsentRow>> CurrentAsync(NpgsqlConnection connection, Guid expertId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT purpose, consent_id, recorded_at, expires_at, withdrawn_at, state
            FROM current_consents WHERE expert_id = @expertId
            """;
        return (await connection.QueryAsync<CurrentConsentRow>(new CommandDefinition(sql, new { expertId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Whether the expert's consent to <paramref name="purpose"/> is in force now.</summary>
    public static async Task<bool> IsGrantedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid expertId, string purpose, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            SELECT 1 FROM current_consents WHERE expert_id = @expertId AND purpose = @purpose AND state = 'granted'
            """, new { expertId, purpose }, transaction, cancellationToken: cancellationToken)) is not null;

    /// <summary>Every purpose in the vocabulary's order, with its state; "none" for a purpose never recorded.</summary>
    public static IReadOnlyList<PurposeState> States(IReadOnlyList<CurrentConsentRow> current) =>
        ConsentVocabulary.Purposes.Keys.Select(purpose => current.FirstOrDefault(c => c.Purpose == purpose) is { } row
            ? new PurposeState(purpose, row.State, row.ConsentId, row.RecordedAt, row.ExpiresAt, row.WithdrawnAt)
            : new PurposeState(purpose, ConsentVocabulary.None, null, null, null, null)).ToList();
}
