using System.Data;
using Dapper;
using Npgsql;

namespace Ear.Api.Features.CvDocuments;

internal static class CvQueries
{
    public const string Columns = "expert_id, version, sha256, size_bytes, content_type, file_name, text_status, uploaded_by, uploaded_at";

    /// <summary>Whether the expert is there for this caller (the same test as <see cref="CvWrites.LockExpertAsync"/>, without a lock).</summary>
    public static async Task<bool> IsVisibleAsync(NpgsqlConnection connection, Guid expertId, string? scopeMemberState, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            SELECT 1 FROM experts
            WHERE id = @expertId AND erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR member_state = @scopeMemberState::char(2))
            """, new { expertId, scopeMemberState }, cancellationToken: cancellationToken)) is not null;

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
