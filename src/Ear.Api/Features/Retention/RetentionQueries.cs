using Dapper;
using Npgsql;

namespace Ear.Api.Features.Retention;

/// <summary>
/// What the policy finds due at given cutoffs. The dry run reads these; a run applies the same conditions in
/// <see cref="RetentionWrites"/>, where each statement changes exactly what the matching query here lists.
/// </summary>
internal static class RetentionQueries
{
    /// <summary>
    /// Grants in force by their own record (the last of their purpose, not withdrawn: current_consents' definition)
    /// whose expiresAt has passed and which no run has noted yet. Read from the table rather than the view, so that
    /// the expiring grants' index finds them: the expiry watch asks every minute.
    /// </summary>
    public const string ExpiredConsents = """
        SELECT c.expert_id, c.purpose, c.id AS consent_id
        FROM expert_consents c JOIN experts e ON e.id = c.expert_id AND e.erased_at IS NULL
        WHERE c.withdrawn_at IS NULL AND c.expires_at IS NOT NULL AND c.expires_at <= @Now
          AND NOT EXISTS (SELECT 1 FROM expert_consents later WHERE later.expert_id = c.expert_id AND later.purpose = c.purpose AND later.id > c.id)
          AND NOT EXISTS (SELECT 1 FROM retention_actions r WHERE r.kind = 'consent_expired' AND r.consent_id = c.id)
        """;

    public const string DueForReconfirmation = """
        SELECT id FROM experts
        WHERE erased_at IS NULL AND pending_reconfirmation_since IS NULL AND confirmed_at <= @ConfirmedBefore
        """;

    /// <summary>Pending past the grace period, and not on a deployment in progress (the erasure would refuse; a later run erases them).</summary>
    public const string DueForErasure = """
        SELECT e.id FROM experts e
        WHERE e.erased_at IS NULL AND e.pending_reconfirmation_since <= @PendingBefore
          AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND d.period @> @Today)
        """;

    public const string OldCvVersions = """
        SELECT v.expert_id, v.version FROM (
            SELECT expert_id, version, uploaded_at, row_number() OVER (PARTITION BY expert_id ORDER BY version DESC) AS newer
            FROM cv_documents) v
        WHERE v.newer > @KeepCvVersions AND v.uploaded_at <= @CvUploadedBefore
        """;

    public const string AuditToPseudonymise = "SELECT count(*)::int FROM audit_entries WHERE pseudonymised_at IS NULL AND at <= @AuditBefore";

    /// <summary>What a run at these cutoffs would do, in the order a run does it.</summary>
    public static async Task<List<RetentionAction>> PlanAsync(NpgsqlConnection connection, RetentionCutoffs at, CancellationToken cancellationToken)
    {
        var sql = $"""
            {ExpiredConsents} ORDER BY c.expert_id, c.purpose;
            {DueForReconfirmation} ORDER BY id;
            {DueForErasure} ORDER BY e.id;
            SELECT o.expert_id, o.version FROM ({OldCvVersions}) o
            WHERE o.expert_id NOT IN ({DueForErasure}) ORDER BY o.expert_id, o.version;
            {AuditToPseudonymise};
            """;
        await using var reader = await connection.QueryMultipleAsync(new CommandDefinition(sql, Parameters(at), cancellationToken: cancellationToken));
        var actions = new List<RetentionAction>();
        actions.AddRange((await reader.ReadAsync<(Guid ExpertId, string Purpose, long ConsentId)>())
            .Select(c => new RetentionAction(RetentionVocabulary.ConsentExpired, c.ExpertId, null, c.Purpose, 1)));
        actions.AddRange((await reader.ReadAsync<Guid>()).Select(id => new RetentionAction(RetentionVocabulary.ReconfirmationRequested, id, null, null, 1)));
        actions.AddRange((await reader.ReadAsync<Guid>()).Select(id => new RetentionAction(RetentionVocabulary.ExpertErased, id, null, null, 1)));
        actions.AddRange((await reader.ReadAsync<(Guid ExpertId, int Version)>())
            .Select(v => new RetentionAction(RetentionVocabulary.CvVersionDeleted, v.ExpertId, v.Version, null, 1)));
        if (await reader.ReadSingleAsync<int>() is > 0 and var entries)
        {
            actions.Add(new RetentionAction(RetentionVocabulary.AuditPseudonymised, null, null, null, entries));
        }

        return actions;
    }

    public static object Parameters(RetentionCutoffs at) => new
    {
        at.Now,
        at.ConfirmedBefore,
        at.PendingBefore,
        at.CvUploadedBefore,
        at.AuditBefore,
        at.KeepCvVersions,
        at.Today,
    };
}
