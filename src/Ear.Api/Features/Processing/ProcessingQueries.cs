using Dapper;
using Ear.Api.Features.Consent;
using Ear.Api.Platform.Mapping;
using Mapster;
using Npgsql;

namespace Ear.Api.Features.Processing;

/// <summary>The processing record of one expert, read from where each fact is kept; other features (the data export) call it.</summary>
internal static class ProcessingQueries
{
    /// <summary>The audit actions that disclose one expert's data.</summary>
    public static readonly string[] DisclosingActions = ["DownloadCv", "DownloadCvVersion", "ExportExpertData", "GetExpertProcessing"];

    public static async Task<ExpertProcessingRecord> ForAsync(NpgsqlConnection connection, Guid expertId, CancellationToken cancellationToken)
    {
        // A stored run keeps its whole answer; only this expert's rank is taken from it, never the other candidates.
        const string sql = """
            SELECT confirmed_at, confirmed_by, basis, note FROM expert_confirmations WHERE expert_id = @expertId ORDER BY id;

            SELECT r.id AS run_id, r.action_id, r.requested_at, r.requested_by, (c.value ->> 'rank')::int AS rank
            FROM matching_runs r CROSS JOIN LATERAL jsonb_array_elements(r.response -> 'candidates') c
            WHERE c.value ->> 'expertId' = @expertId::text
            ORDER BY r.requested_at, r.id;

            SELECT at, action, key_id, key_pseudonym, role, purpose, status_code FROM audit_entries
            WHERE target_id = @expertId AND action = ANY(@actions) ORDER BY id;

            SELECT a.run_id, a.kind, a.at, a.cv_version, c.purpose
            FROM retention_actions a LEFT JOIN expert_consents c ON c.id = a.consent_id
            WHERE a.expert_id = @expertId ORDER BY a.id;
            """;
        var consents = await ConsentQueries.HistoryAsync(connection, expertId, cancellationToken);
        await using var reader = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { expertId, actions = DisclosingActions },
            cancellationToken: cancellationToken));
        var confirmations = (await reader.ReadAsync<ConfirmationRow>()).Select(Adapt<ConfirmationEntry>).ToList();
        var runs = (await reader.ReadAsync<RankedInRunRow>()).Select(Adapt<RankedInRun>).ToList();
        var disclosures = (await reader.ReadAsync<DisclosureRow>()).Select(Adapt<Disclosure>).ToList();
        var retention = (await reader.ReadAsync<RetentionEntryRow>()).Select(Adapt<RetentionEntry>).ToList();
        return new ExpertProcessingRecord(expertId, ConsentMapping.ToResponse(expertId, [], consents).History, confirmations, runs, disclosures, retention);
    }

    private static T Adapt<T>(object row) => row.Adapt<T>(MappingSetup.Configuration);
}
