using Dapper;
using Npgsql;

namespace Ear.Api.Features.Retention;

/// <summary>
/// The statements of a retention run. Each applies one kind of action to what <see cref="RetentionQueries"/> lists and
/// records it in retention_actions in the same transaction, so a run that stops half-way leaves nothing half-done and
/// the next run finds only what is still due: running twice does no more than running once.
/// </summary>
internal static class RetentionWrites
{
    public static Task StartRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, DateTimeOffset at, string startedBy,
        Guid? requestedBy, string policy, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retention_runs (id, started_at, started_by, requested_by, policy) VALUES (@runId, @at, @startedBy, @requestedBy, @policy::jsonb)
            """, new { runId, at, startedBy, requestedBy, policy }, transaction, cancellationToken: cancellationToken));

    public static Task FinishRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE retention_runs SET finished_at = now() WHERE id = @runId", new { runId }, transaction,
            cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<(Guid ExpertId, string Purpose, long ConsentId)>> ExpiredConsentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RetentionCutoffs at, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(Guid, string, long)>(new CommandDefinition($"{RetentionQueries.ExpiredConsents}",
            RetentionQueries.Parameters(at), transaction, cancellationToken: cancellationToken))).AsList();

    public static Task NoteExpiryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, Guid expertId, long consentId,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retention_actions (run_id, kind, expert_id, consent_id, at) VALUES (@runId, 'consent_expired', @expertId, @consentId, @at)
            ON CONFLICT (consent_id) WHERE kind = 'consent_expired' DO NOTHING
            """, new { runId, expertId, consentId, at }, transaction, cancellationToken: cancellationToken));

    /// <summary>Suspends the profiles not confirmed in time, in one statement; matching drops them through the roster triggers.</summary>
    public static async Task<IReadOnlyList<Guid>> RequestReconfirmationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId,
        RetentionCutoffs at, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition($"""
            WITH due AS (
                UPDATE experts SET pending_reconfirmation_since = @Now, version = version + 1, updated_at = now() -- profileState changes: a new ETag
                WHERE id IN ({RetentionQueries.DueForReconfirmation})
                RETURNING id)
            INSERT INTO retention_actions (run_id, kind, expert_id, at)
            SELECT @runId, 'reconfirmation_requested', id, @Now FROM due
            RETURNING expert_id
            """, new DynamicParameters(RetentionQueries.Parameters(at)).With("runId", runId), transaction, cancellationToken: cancellationToken))).AsList();

    public static async Task<IReadOnlyList<Guid>> DueForErasureAsync(NpgsqlConnection connection, RetentionCutoffs at, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition($"{RetentionQueries.DueForErasure} ORDER BY e.id", RetentionQueries.Parameters(at),
            cancellationToken: cancellationToken))).AsList();

    public static Task NoteErasureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, Guid expertId, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO retention_actions (run_id, kind, expert_id, at) VALUES (@runId, 'expert_erased', @expertId, @at)
            """, new { runId, expertId, at }, transaction, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<(Guid ExpertId, int Version)>> DeleteOldCvVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid runId, RetentionCutoffs at, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(Guid, int)>(new CommandDefinition($"""
            WITH deleted AS (
                DELETE FROM cv_documents d USING ({RetentionQueries.OldCvVersions}) o
                WHERE d.expert_id = o.expert_id AND d.version = o.version
                RETURNING d.expert_id, d.version)
            INSERT INTO retention_actions (run_id, kind, expert_id, cv_version, at)
            SELECT @runId, 'cv_version_deleted', expert_id, version, @Now FROM deleted
            RETURNING expert_id, cv_version
            """, new DynamicParameters(RetentionQueries.Parameters(at)).With("runId", runId), transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Replaces the key id by a keyed hash of it (the same key keeps the same pseudonym, so a pattern stays visible) and
    /// the client address by a keyed hash of the address and the key together: the refusals' unique index counts per
    /// minute, address, key and status, and hashing the pair keeps those rows apart once the key id is gone.
    /// </summary>
    public static Task<int> PseudonymiseAuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, RetentionCutoffs at,
        CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            WITH secret AS (SELECT secret FROM retention_secret),
            done AS (
                UPDATE audit_entries a SET
                    key_pseudonym = CASE WHEN a.key_id IS NULL THEN NULL
                                         ELSE encode(sha256(convert_to(s.secret || a.key_id::text, 'UTF8')), 'hex') END,
                    client_address = CASE WHEN a.client_address IS NULL THEN NULL
                                          ELSE 'pseudonym:' || left(encode(sha256(convert_to(s.secret || a.client_address || '/' || coalesce(a.key_id::text, ''), 'UTF8')), 'hex'), 16) END,
                    key_id = NULL,
                    pseudonymised_at = @Now
                FROM secret s
                WHERE a.pseudonymised_at IS NULL AND a.at <= @AuditBefore
                RETURNING 1),
            counted AS (SELECT count(*)::int AS entries FROM done),
            noted AS (
                INSERT INTO retention_actions (run_id, kind, count, at)
                SELECT @runId, 'audit_pseudonymised', entries, @Now FROM counted WHERE entries > 0)
            SELECT entries FROM counted
            """, new DynamicParameters(RetentionQueries.Parameters(at)).With("runId", runId), transaction, cancellationToken: cancellationToken));

    private static DynamicParameters With(this DynamicParameters parameters, string name, object value)
    {
        parameters.Add(name, value);
        return parameters;
    }
}
