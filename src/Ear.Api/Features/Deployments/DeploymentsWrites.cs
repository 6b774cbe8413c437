using Dapper;
using Npgsql;

namespace Ear.Api.Features.Deployments;

internal static class DeploymentsWrites
{
    public const string NoOverlapConstraint = "deployments_no_overlap";

    /// <summary>The activity's dates and its action's status, held still until the transaction ends.</summary>
    public static Task<(DateOnly From, DateOnly To, string ActionStatus)?> LockActivityAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid activityId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<(DateOnly, DateOnly, string)?>(new CommandDefinition("""
            SELECT lower(ac.period), upper(ac.period) - 1, a.status
            FROM activities ac JOIN actions a ON a.id = ac.action_id
            WHERE ac.id = @activityId
            FOR SHARE OF ac, a
            """, new { activityId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The expert's status, held still (an update of the profile, such as a new unavailability, waits
    /// for this transaction and is then checked against the deployment, not the other way round).
    /// </summary>
    public static Task<string?> LockExpertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM experts WHERE id = @expertId AND erased_at IS NULL FOR SHARE",
            new { expertId }, transaction, cancellationToken: cancellationToken));

    public static Task<(DateOnly From, DateOnly To)?> UnavailabilityWithinAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<(DateOnly, DateOnly)?>(new CommandDefinition("""
            SELECT lower(period), upper(period) - 1 FROM expert_unavailability
            WHERE expert_id = @expertId AND period && daterange(@from, @to, '[]')
            ORDER BY lower(period) LIMIT 1
            """, new { expertId, from, to }, transaction, cancellationToken: cancellationToken));

    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid id, Guid activityId, Guid expertId, string role, DateOnly from, DateOnly to, Guid createdBy, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO deployments (id, activity_id, expert_id, role, period, created_at, created_by)
            VALUES (@id, @activityId, @expertId, @role, daterange(@from, @to, '[]'), now(), @createdBy)
            """, new { id, activityId, expertId, role, from, to, createdBy }, transaction, cancellationToken: cancellationToken));

    /// <summary>Cancels a live deployment (its days are free again); false when there is none to cancel.</summary>
    public static async Task<bool> CancelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid cancelledBy, string? reason, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE deployments SET cancelled_at = now(), cancelled_by = @cancelledBy, cancel_reason = @reason
            WHERE id = @id AND cancelled_at IS NULL
            """, new { id, cancelledBy, reason }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>
    /// Cancels every live deployment of an expert that starts after <paramref name="today"/> (their days are
    /// free again) and returns their ids, earliest first.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> CancelStartingAfterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid expertId, DateOnly today, Guid? cancelledBy, string reason, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition("""
            WITH cancelled AS (
                UPDATE deployments SET cancelled_at = now(), cancelled_by = @cancelledBy, cancel_reason = @reason
                WHERE expert_id = @expertId AND cancelled_at IS NULL AND lower(period) > @today
                RETURNING id, lower(period) AS starts
            )
            SELECT id FROM cancelled ORDER BY starts, id
            """, new { expertId, today, cancelledBy, reason }, transaction, cancellationToken: cancellationToken))).AsList();

    public static Task SaveEvaluationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid deploymentId, int rating, string recommendation, string? comment, Guid evaluatedBy, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO evaluations (deployment_id, rating, recommendation, comment, evaluated_at, evaluated_by)
            VALUES (@deploymentId, @rating, @recommendation, @comment, now(), @evaluatedBy)
            ON CONFLICT (deployment_id) DO UPDATE
            SET rating = EXCLUDED.rating, recommendation = EXCLUDED.recommendation, comment = EXCLUDED.comment,
                evaluated_at = EXCLUDED.evaluated_at, evaluated_by = EXCLUDED.evaluated_by
            """, new { deploymentId, rating = (short)rating, recommendation, comment, evaluatedBy }, transaction, cancellationToken: cancellationToken));
}
