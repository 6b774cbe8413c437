using System.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Ear.Api.Features.CvDocuments;

internal sealed record CvVersionRow
{
    public Guid ExpertId { get; init; }
    public int Version { get; init; }
    public byte[] Sha256 { get; init; } = [];
    public long SizeBytes { get; init; }
    public string ContentType { get; init; } = "";
    public string FileName { get; init; } = "";
    public string TextStatus { get; init; } = "";
    public Guid? UploadedBy { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
}

internal static class CvSql
{
    private const string Columns = "expert_id, version, sha256, size_bytes, content_type, file_name, text_status, uploaded_by, uploaded_at";

    /// <summary>Whether the expert is there for this caller (the same test as <see cref="LockExpertAsync"/>, without a lock).</summary>
    public static async Task<bool> IsVisibleAsync(NpgsqlConnection connection, Guid expertId, string? scopeMemberState, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            SELECT 1 FROM experts
            WHERE id = @expertId AND erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR member_state = @scopeMemberState::char(2))
            """, new { expertId, scopeMemberState }, cancellationToken: cancellationToken)) is not null;

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
            $"SELECT {Columns} FROM cv_documents WHERE expert_id = @expertId AND sha256 = @sha256",
            new { expertId, sha256 }, transaction, cancellationToken: cancellationToken));

    /// <summary>Stores a new version, streaming the file into the row, and makes its text the one the search reads.</summary>
    public static async Task<CvVersionRow> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid expertId, byte[] sha256,
        Stream content, string contentType, string fileName, string textStatus, string text, Guid uploadedBy, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO cv_documents (expert_id, version, sha256, size_bytes, content_type, file_name, text_status, text, content, uploaded_by, uploaded_at)
            VALUES (@expertId, (SELECT coalesce(max(version), 0) + 1 FROM cv_documents WHERE expert_id = @expertId),
                    @sha256, @size, @contentType, @fileName, @textStatus, @text, @content, @uploadedBy, now())
            RETURNING {Columns};

            UPDATE experts SET cv_text = @text WHERE id = @expertId;
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

    public static async Task<IReadOnlyList<CvVersionRow>> ListAsync(NpgsqlConnection connection, Guid expertId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CvVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cv_documents WHERE expert_id = @expertId ORDER BY version", new { expertId }, cancellationToken: cancellationToken))).AsList();

    /// <summary>One version's metadata (the latest when version is null).</summary>
    public static Task<CvVersionRow?> GetAsync(NpgsqlConnection connection, Guid expertId, int? version, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<CvVersionRow?>(new CommandDefinition($"""
            SELECT {Columns} FROM cv_documents
            WHERE expert_id = @expertId AND (@version::int IS NULL OR version = @version::int)
            ORDER BY version DESC LIMIT 1
            """, new { expertId, version }, cancellationToken: cancellationToken));

    /// <summary>Copies a version's bytes to <paramref name="destination"/> without holding them in memory.</summary>
    public static async Task CopyContentAsync(NpgsqlConnection connection, Guid expertId, int version, Stream destination, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT content FROM cv_documents WHERE expert_id = @expertId AND version = @version", connection);
        command.Parameters.AddWithValue("expertId", expertId);
        command.Parameters.AddWithValue("version", version);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            await using var content = await reader.GetStreamAsync(0, cancellationToken);
            await content.CopyToAsync(destination, cancellationToken);
        }
    }
}
