using Dapper;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.Database;
using Npgsql;

namespace Ear.Api.Features.CvDocuments;

/// <summary>
/// Reads again the text of CV versions stored without it, once their expert consents to cv_text_extraction
/// (decision 0022). A version loses its text when the consent is missing at upload, is withdrawn or expires, and
/// every version stored before purposes existed lost it in migration 0020; the files were kept, so the text is
/// derived again from them, never lost for good.
/// </summary>
/// <remarks>
/// A grant wakes it (<see cref="Wake"/>); it also sweeps at start and every <see cref="SweepInterval"/>, which
/// catches a grant made on another instance or one whose wake-up died with its process. Instances may read the
/// same file at once; the write is guarded, so the second one changes nothing.
/// </remarks>
internal sealed class CvTextRecovery(Db db, ILogger<CvTextRecovery> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);
    private const int BatchSize = 16;

    private readonly SemaphoreSlim wakeUp = new(0, 1);

    /// <summary>Asks for a sweep now: a consent to text extraction was just granted.</summary>
    public void Wake()
    {
        if (wakeUp.CurrentCount == 0)
        {
            try
            {
                wakeUp.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another grant woke it in between: one sweep serves both.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var recovered = await SweepAsync(stoppingToken);
                if (recovered > 0)
                {
                    logger.LogInformation("Read the text of {Versions} CV versions again after their experts consented to its extraction.", recovered);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(exception, "The CV text recovery could not reach the database; it tries again at the next sweep.");
            }

            try
            {
                await wakeUp.WaitAsync(SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Walks every version waiting for its text whose expert now consents, in key order, once.</summary>
    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var recovered = 0;
        var after = (ExpertId: Guid.Empty, Version: 0);
        while (true)
        {
            var batch = await db.ReadAsync((connection, token) => PendingAsync(connection, after, token), cancellationToken);
            foreach (var version in batch)
            {
                if (await RecoverAsync(version, cancellationToken))
                {
                    recovered++;
                }
            }

            if (batch.Count < BatchSize)
            {
                return recovered;
            }

            after = (batch[^1].ExpertId, batch[^1].Version);
        }
    }

    private async Task<bool> RecoverAsync(PendingVersion version, CancellationToken cancellationToken)
    {
        var content = await db.ReadAsync((connection, token) => connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            "SELECT content FROM cv_documents WHERE expert_id = @ExpertId AND version = @Version AND text_status = 'not_extracted'",
            version, cancellationToken: token)), cancellationToken);
        if (content is null)
        {
            return false;
        }

        await using var file = CvTempFiles.Create();
        await file.WriteAsync(content, cancellationToken);
        file.Position = 0;
        if (await CvInspector.InspectAsync(file, cancellationToken) is not CvInspection.Accepted accepted)
        {
            // It was accepted when uploaded; a stricter inspector since then refuses it. The file stays as it is.
            logger.LogWarning("CV version {Version} of expert {ExpertId} no longer passes inspection; its text is not read again.", version.Version, version.ExpertId);
            return false;
        }

        return await db.InTransactionAsync((connection, transaction, token) =>
            WriteTextAsync(connection, transaction, version, accepted, token), cancellationToken);
    }

    private static async Task<IReadOnlyList<PendingVersion>> PendingAsync(NpgsqlConnection connection, (Guid ExpertId, int Version) after, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.expert_id, d.version
            FROM cv_documents d
            WHERE d.text_status = 'not_extracted' AND (d.expert_id, d.version) > (@expertId, @version)
              AND EXISTS (SELECT 1 FROM current_consents c
                          WHERE c.expert_id = d.expert_id AND c.purpose = 'cv_text_extraction' AND c.state = 'granted')
            ORDER BY d.expert_id, d.version
            LIMIT @batchSize
            """;
        return (await connection.QueryAsync<PendingVersion>(new CommandDefinition(sql,
            new { expertId = after.ExpertId, version = after.Version, batchSize = BatchSize }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Stores the text if the version still waits for it and the consent is still in force, with the expert's row
    /// locked first: a withdrawal holds that lock too, so it cannot slip between the check and the write.
    /// </summary>
    private static async Task<bool> WriteTextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingVersion version,
        CvInspection.Accepted accepted, CancellationToken cancellationToken)
    {
        // Separate statements: under READ COMMITTED each one sees what committed before it began, so the consent is
        // checked after the lock is held, not on a snapshot taken while waiting for it.
        var parameters = new { version.ExpertId, version.Version, accepted.Text, accepted.TextStatus };
        if (await ExpertsWrites.LockAsync(connection, transaction, version.ExpertId, scopeMemberState: null, cancellationToken) is null)
        {
            return false;
        }

        const string storeText = """
            UPDATE cv_documents SET text = @Text, text_status = @TextStatus
            WHERE expert_id = @ExpertId AND version = @Version AND text_status = 'not_extracted'
              AND EXISTS (SELECT 1 FROM current_consents c
                          WHERE c.expert_id = @ExpertId AND c.purpose = 'cv_text_extraction' AND c.state = 'granted')
            RETURNING 1
            """;
        if (await connection.ExecuteScalarAsync<int?>(new CommandDefinition(storeText, parameters, transaction, cancellationToken: cancellationToken)) is null)
        {
            return false;
        }

        // The search reads the latest version's text, as an upload leaves it.
        const string searchText = """
            UPDATE experts e SET cv_text = latest.text
            FROM (SELECT NULLIF(text, '') AS text FROM cv_documents WHERE expert_id = @ExpertId ORDER BY version DESC LIMIT 1) latest
            WHERE e.id = @ExpertId AND e.cv_text IS DISTINCT FROM latest.text
            """;
        await connection.ExecuteAsync(new CommandDefinition(searchText, parameters, transaction, cancellationToken: cancellationToken));
        return true;
    }

    private sealed record PendingVersion(Guid ExpertId, int Version);
}
