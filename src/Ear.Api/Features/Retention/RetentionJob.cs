using System.Text.Json;
using Ear.Api.Features.Consent;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.Database;
using Microsoft.Extensions.Options;

namespace Ear.Api.Features.Retention;

/// <summary>
/// Applies the retention policy (decision 0022): one instance at a time, under a PostgreSQL advisory lock held by a
/// connection of its own for the whole run; each kind of action in its own transaction (erasures one expert each), in
/// the order expiries, re-confirmation requests, erasures, CV versions, audit. Idempotent: a second run finds nothing.
/// </summary>
internal sealed class RetentionJob(Db db, IOptions<RetentionPolicy> options, TimeProvider clock, ILogger<RetentionJob> logger)
{
    /// <summary>The advisory lock's key: "EARRETN" in ASCII, a number no other part of EAR takes.</summary>
    public const long LockKey = 0x4541_5252_4554_4E;

    private const int ListedActions = 1_000;

    public RetentionPolicy Policy => options.Value;

    public async Task<RetentionReport> PlanAsync(CancellationToken cancellationToken)
    {
        var at = Policy.CutoffsAt(clock.GetUtcNow());
        var actions = await db.ReadAsync((connection, token) => RetentionQueries.PlanAsync(connection, at, token), cancellationToken);
        return Report(null, at.Now, actions);
    }

    /// <summary>Runs the policy now; null when another instance holds the lock (it is running).</summary>
    public async Task<RetentionReport?> RunAsync(string startedBy, Guid? requestedBy, CancellationToken cancellationToken)
    {
        var (locked, report) = await UnderLockAsync(() => ApplyAsync(startedBy, requestedBy, cancellationToken), cancellationToken);
        return locked ? report : null;
    }

    /// <summary>
    /// Records the consents whose expiry has passed since the last look, as a run of their own (started by
    /// expiry_watch); between daily runs, so that an expiry reaches matching within minutes. Writes nothing when
    /// none expired; 0 too when a run holds the lock, since that run records them itself.
    /// </summary>
    public async Task<int> ExpireConsentsAsync(CancellationToken cancellationToken) =>
        (await UnderLockAsync(async () =>
        {
            var at = Policy.CutoffsAt(clock.GetUtcNow());
            var runId = Guid.CreateVersion7();
            var policy = JsonSerializer.Serialize(View(Policy));
            return await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                var expired = await RetentionWrites.ExpiredConsentsAsync(connection, transaction, at, token);
                if (expired.Count > 0)
                {
                    await RetentionWrites.StartRunAsync(connection, transaction, runId, at.Now, "expiry_watch", null, policy, token);
                    await ExpireAsync(connection, transaction, runId, at, expired, token);
                    await RetentionWrites.FinishRunAsync(connection, transaction, runId, token);
                }

                return expired.Count;
            }, cancellationToken);
        }, cancellationToken)).Result;

    /// <summary>The work, under the advisory lock held by a connection of its own; not done (Locked false) when another holds it.</summary>
    private async Task<(bool Locked, T Result)> UnderLockAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var lockConnection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockAsync(lockConnection, cancellationToken))
        {
            return (false, default!);
        }

        try
        {
            return (true, await work());
        }
        finally
        {
            await using var unlock = lockConnection.CreateCommand();
            unlock.CommandText = "SELECT pg_advisory_unlock(@key)";
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <summary>Each expiry through the one consent writer (matching reloads the expert, the feed announces it), noted once.</summary>
    private static async Task ExpireAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, Guid runId, RetentionCutoffs at,
        IReadOnlyList<(Guid ExpertId, string Purpose, long ConsentId)> expired, CancellationToken cancellationToken)
    {
        foreach (var (expertId, purpose, consentId) in expired)
        {
            await ConsentWrites.WriteAsync(connection, transaction, new ConsentChange.Expiry(expertId, purpose, consentId), cancellationToken);
            await RetentionWrites.NoteExpiryAsync(connection, transaction, runId, expertId, consentId, at.Now, cancellationToken);
        }
    }

    private static async Task<bool> TryLockAsync(Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_try_advisory_lock(@key)";
        command.Parameters.AddWithValue("key", LockKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<RetentionReport> ApplyAsync(string startedBy, Guid? requestedBy, CancellationToken cancellationToken)
    {
        var at = Policy.CutoffsAt(clock.GetUtcNow());
        var runId = Guid.CreateVersion7();
        var actions = new List<RetentionAction>();
        var policy = JsonSerializer.Serialize(View(Policy));
        await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            await RetentionWrites.StartRunAsync(connection, transaction, runId, at.Now, startedBy, requestedBy, policy, token);
            return true;
        }, cancellationToken);

        actions.AddRange(await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            var expired = await RetentionWrites.ExpiredConsentsAsync(connection, transaction, at, token);
            await ExpireAsync(connection, transaction, runId, at, expired, token);

            return expired.Select(e => new RetentionAction(RetentionVocabulary.ConsentExpired, e.ExpertId, null, e.Purpose, 1)).ToList();
        }, cancellationToken));

        actions.AddRange((await db.InTransactionAsync((connection, transaction, token) =>
                RetentionWrites.RequestReconfirmationAsync(connection, transaction, runId, at, token), cancellationToken))
            .Select(id => new RetentionAction(RetentionVocabulary.ReconfirmationRequested, id, null, null, 1)));

        foreach (var expertId in await db.ReadAsync((connection, token) => RetentionWrites.DueForErasureAsync(connection, at, token), cancellationToken))
        {
            // The erasure of DELETE /experts/{id}, one transaction per expert: one failing leaves the others done.
            var erased = await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                var outcome = await ExpertEraser.EraseAsync(connection, transaction, expertId, null, at.Today, null, token);
                if (outcome?.Erased is null)
                {
                    return false;
                }

                await RetentionWrites.NoteErasureAsync(connection, transaction, runId, expertId, at.Now, token);
                return true;
            }, cancellationToken);
            if (erased)
            {
                actions.Add(new RetentionAction(RetentionVocabulary.ExpertErased, expertId, null, null, 1));
            }
        }

        actions.AddRange((await db.InTransactionAsync((connection, transaction, token) =>
                RetentionWrites.DeleteOldCvVersionsAsync(connection, transaction, runId, at, token), cancellationToken))
            .Select(v => new RetentionAction(RetentionVocabulary.CvVersionDeleted, v.ExpertId, v.Version, null, 1)));

        var pseudonymised = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            var entries = await RetentionWrites.PseudonymiseAuditAsync(connection, transaction, runId, at, token);
            await RetentionWrites.FinishRunAsync(connection, transaction, runId, token);
            return entries;
        }, cancellationToken);
        if (pseudonymised > 0)
        {
            actions.Add(new RetentionAction(RetentionVocabulary.AuditPseudonymised, null, null, null, pseudonymised));
        }

        logger.LogInformation("Retention run {RunId} ({StartedBy}): {Actions} action(s).", runId, startedBy, actions.Count);
        return Report(runId, at.Now, actions);
    }

    private RetentionReport Report(Guid? runId, DateTimeOffset at, List<RetentionAction> actions) =>
        new(runId, runId is null, at, View(Policy),
            RetentionVocabulary.Kinds.Keys.ToDictionary(kind => kind, kind => actions.Where(a => a.Kind == kind).Sum(a => a.Count), StringComparer.Ordinal),
            actions.Take(ListedActions).ToList(),
            actions.Count > ListedActions);

    private static RetentionPolicyView View(RetentionPolicy policy) => new(policy.ReconfirmAfterMonths, policy.EraseAfterPendingMonths,
        policy.KeepCvVersions, policy.DeleteOlderCvVersionsAfterMonths, policy.KeepAuditYears);
}
