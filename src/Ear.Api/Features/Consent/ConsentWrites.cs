using Dapper;
using Npgsql;

namespace Ear.Api.Features.Consent;

/// <summary>
/// The one place a consent is written (decision 0022): a grant or a withdrawal, with what it must change at once
/// in the same transaction. The change feed hears of grants and withdrawals from the table's triggers, of expiries from here.
/// </summary>
internal static class ConsentWrites
{
    /// <summary>
    /// Stores the change and applies its effect; the caller holds the expert's row (<c>ExpertsWrites.LockAsync</c>),
    /// where its scope was checked. Returns the grant written or withdrawn, or null for a withdrawal of a purpose
    /// that is not in force (nothing changes then).
    /// </summary>
    public static async Task<long?> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsentChange change, CancellationToken cancellationToken) =>
        change switch
        {
            ConsentChange.Grant grant => await GrantAsync(connection, transaction, grant, cancellationToken),
            ConsentChange.Withdrawal withdrawal => await WithdrawAsync(connection, transaction, withdrawal, cancellationToken),
            ConsentChange.Expiry expiry => await ExpireAsync(connection, transaction, expiry, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "Not a consent change."),
        };

    private static async Task<long?> GrantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsentChange.Grant grant, CancellationToken cancellationToken)
    {
        // The first roster-membership consent is also the expert's consent date, from which the pool counts them
        // (pool_contributions, 0006); a later grant or a withdrawal never moves it, so past figures stay.
        const string sql = """
            INSERT INTO expert_consents (expert_id, purpose, basis, note, recorded_by, recorded_at, expires_at)
            VALUES (@ExpertId, @Purpose, @Basis, @Note, @By, @RecordedAt, @ExpiresAt)
            RETURNING id;

            UPDATE experts SET consent_recorded_at = @RecordedAt,
                               consent_recorded_by = left('API key ' || coalesce(@By::text, 'unknown'), 200),
                               consent_basis = left(@Basis || coalesce(': ' || @Note, ''), 500),
                               version = version + 1, updated_at = now() -- the profile's consent changes: a new ETag
            WHERE id = @ExpertId AND @Purpose = 'roster_membership' AND consent_recorded_at IS NULL AND erased_at IS NULL;
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, grant, transaction, cancellationToken: cancellationToken));
    }

    private static async Task<long?> WithdrawAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsentChange.Withdrawal withdrawal, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE expert_consents SET withdrawn_at = now(), withdrawn_by = @By, withdrawal_note = @Note
            WHERE id = (SELECT consent_id FROM current_consents WHERE expert_id = @ExpertId AND purpose = @Purpose AND state = 'granted')
            RETURNING id
            """;
        var withdrawn = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, withdrawal, transaction, cancellationToken: cancellationToken));
        if (withdrawn is not null && withdrawal.Purpose == ConsentVocabulary.CvTextExtraction)
        {
            await DeleteCvTextAsync(connection, transaction, withdrawal.ExpertId, cancellationToken);
        }

        return withdrawn;
    }

    private static async Task<long?> ExpireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsentChange.Expiry expiry, CancellationToken cancellationToken)
    {
        // Matching read the grant as in force when it last loaded the expert: it must load them again. An expiry writes
        // no consent row, so no trigger announces it: the change feed hears it from here (decision 0023).
        const string sql = """
            INSERT INTO roster_changes (expert_id) VALUES (@ExpertId);

            SELECT ear_emit_change('consent.changed', 'expert', id, id, member_state,
                                   jsonb_build_object('expertId', id, 'purpose', @Purpose::text, 'consentState', 'expired'))
            FROM experts WHERE id = @ExpertId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, expiry, transaction, cancellationToken: cancellationToken));
        if (expiry.Purpose == ConsentVocabulary.CvTextExtraction)
        {
            await DeleteCvTextAsync(connection, transaction, expiry.ExpertId, cancellationToken);
        }

        return expiry.ConsentId;
    }

    /// <summary>The text of every CV version goes at once, and with it the search's CV tier; the files stay.</summary>
    private static Task<int> DeleteCvTextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE cv_documents SET text = '', text_status = 'not_extracted' WHERE expert_id = @expertId AND text_status = 'extracted';
            UPDATE experts SET cv_text = NULL WHERE id = @expertId AND cv_text IS NOT NULL;
            """, new { expertId }, transaction, cancellationToken: cancellationToken));
}
