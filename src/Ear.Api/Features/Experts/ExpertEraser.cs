using Ear.Api.Features.Deployments;
using Npgsql;

namespace Ear.Api.Features.Experts;

/// <summary>What an erasure found: the erasure done, or the deployments in progress that stopped it.</summary>
internal sealed record ErasureOutcome(ExpertErasure? Erased, IReadOnlyList<DeploymentRow> InProgress);

/// <summary>
/// The erasure of decision 0011, for whoever asks: DELETE /experts/{id} and the retention job (decision 0022) run
/// exactly this, so an expert erased by time leaves the same anonymised row as one erased on request.
/// </summary>
internal static class ExpertEraser
{
    /// <summary>The reason recorded on the deployments an erasure cancels; it names nobody.</summary>
    public const string CancelReason = "expert erased";

    /// <summary>
    /// Locks the expert (within <paramref name="scopeMemberState"/>), refuses while a deployment is in progress,
    /// else erases and cancels the deployments still to come. Null when the expert is not there for this scope.
    /// <paramref name="by"/> is the key asking; null for the retention job.
    /// </summary>
    public static async Task<ErasureOutcome?> EraseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string? scopeMemberState,
        DateOnly today, Guid? by, CancellationToken cancellationToken)
    {
        if (await ExpertsWrites.LockAsync(connection, transaction, id, scopeMemberState, cancellationToken) is null)
        {
            return null;
        }

        var inProgress = await DeploymentsQueries.InProgressAsync(connection, transaction, id, today, cancellationToken);
        if (inProgress.Count > 0)
        {
            return new ErasureOutcome(null, inProgress);
        }

        await ExpertsWrites.EraseAsync(connection, transaction, id, cancellationToken);
        var cancelled = await DeploymentsWrites.CancelStartingAfterAsync(connection, transaction, id, today, by, CancelReason, cancellationToken);
        return new ErasureOutcome(new ExpertErasure(id, cancelled), []);
    }
}
