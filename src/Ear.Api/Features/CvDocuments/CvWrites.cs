using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Ear.Api.Features.CvDocuments;

internal static class CvWrites
{
    /// <summary>
    /// Locks the expert (within the caller's scope) so that two uploads number their versions one
    /// after the other; false when the expert is not there for this caller.
    /// </summary>
    public static async Task<bool> LockExpertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, string? scopeMemberState, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            SELECT 1 FROM experts
            WHERE id = @expertId AND erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR member_state = @scopeMemberState::char(2))
            FOR UPDATE
            """, new { expertId, scopeMemberState }, transaction, cancellationToken: cancellationToken)) is not null;

    public static Task<CvVersionRow?> FindBySha256Async(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, byte[] sha256, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<CvVersionRow?>(new CommandDefinition(
            $"SELECT {CvQueries.Columns} FROM cv_documents WHERE expert_id = @expertId AND sha256 = @sha256",
            new { expertId, sha256 }, transaction, cancellationToken: cancellationToken));

    /// <summary>Stores a new version, streaming the file into the row, and makes its text the one the search reads.</summary>
    public static async Task<CvVersionRow> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, byte[] sha256,
        Stream content, string contentType, string fileName, string textStatus, string text, Guid uploadedBy, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO cv_documents (expert_id, version, sha256, size_bytes, content_type, file_name, text_status, text, content, uploaded_by, uploaded_at)
            VALUES (@expertId, (SELECT coalesce(max(version), 0) + 1 FROM cv_documents WHERE expert_id = @expertId),
                    @sha256, @size, @contentType, @fileName, @textStatus, @text, @content, @uploadedBy, now())
            RETURNING {CvQueries.Columns};

            UPDATE experts SET cv_text = NULLIF(@text, '') WHERE id = @expertId;
            """, connection, transaction);
        command.Parameters.AddWithValue("expertId", expertId);
        command.Parameters.AddWithValue("sha256", sha256);
        command.Parameters.AddWithValue("size", content.Length);
        command.Parameters.AddWithValue("contentType", contentType);
        command.Parameters.AddWithValue("fileName", fileName);
        command.Parameters.AddWithValue("textStatus", textStatus);
        command.Parameters.AddWithValue("text", text);
        command.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = content });
        command.Parameters.AddWithValue("uploadedBy", uploadedBy);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return reader.GetRowParser<CvVersionRow>().Invoke(await reader.ReadAsync(cancellationToken) ? reader : throw new InvalidOperationException("The insert returned no row."));
    }
}
