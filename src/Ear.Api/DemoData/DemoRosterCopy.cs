using Npgsql;
using Ear.Api.Features.Experts;
using NpgsqlTypes;

namespace Ear.Api.DemoData;

/// <summary>
/// Writes a generated roster with binary COPY, one table per pass. The generator is deterministic,
/// so each pass generates the roster again instead of holding a million experts in memory.
/// </summary>
internal static class DemoRosterCopy
{
    public static async Task<int> WriteAsync(NpgsqlConnection connection, Func<IEnumerable<DemoExpert>> roster, CancellationToken cancellationToken)
    {
        var count = 0;
        await using (var experts = await connection.BeginBinaryImportAsync("""
            COPY experts (id, given_name, family_name, email, phone, gender, nationality, kind, member_state, employer,
                          position, bio, countries_of_experience, status, consent_recorded_at, consent_recorded_by,
                          consent_basis, theme_codes, language_skills, created_at, updated_at, version)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            foreach (var e in roster())
            {
                await experts.StartRowAsync(cancellationToken);
                await experts.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken);
                await experts.WriteAsync(e.GivenName, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.FamilyName, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.Email, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(experts, e.Phone, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.Gender, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.Nationality, NpgsqlDbType.Char, cancellationToken);
                await experts.WriteAsync(e.Kind, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(experts, e.MemberState, NpgsqlDbType.Char, cancellationToken);
                await experts.WriteAsync(e.Employer, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.Position, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.Bio, NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.CountriesOfExperience, NpgsqlDbType.Array | NpgsqlDbType.Char, cancellationToken);
                await experts.WriteAsync(e.Status, NpgsqlDbType.Text, cancellationToken);
                if (e.ConsentRecordedAt is { } consentAt)
                {
                    await experts.WriteAsync(consentAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    await experts.WriteAsync("MIEUX team", NpgsqlDbType.Text, cancellationToken);
                    await experts.WriteAsync("Demonstration data: synthetic consent", NpgsqlDbType.Text, cancellationToken);
                }
                else
                {
                    await experts.WriteNullAsync(cancellationToken);
                    await experts.WriteNullAsync(cancellationToken);
                    await experts.WriteNullAsync(cancellationToken);
                }

                await experts.WriteAsync(e.Themes.Select(t => t.Code).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(ExpertsWrites.LanguageSkills(e.Languages.Select(l => (l.Code, l.Rank))), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await experts.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await experts.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await experts.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
                count++;
            }

            await experts.CompleteAsync(cancellationToken);
        }

        await using (var languages = await connection.BeginBinaryImportAsync(
            "COPY expert_languages (expert_id, language_code, level, level_rank) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var e in roster())
            {
                foreach (var (code, level, rank) in e.Languages)
                {
                    await languages.WriteRowAsync(cancellationToken, e.Id, code, level, rank);
                }
            }

            await languages.CompleteAsync(cancellationToken);
        }

        await using (var themes = await connection.BeginBinaryImportAsync(
            "COPY expert_themes (expert_id, theme_code, level) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var e in roster())
            {
                foreach (var (code, level) in e.Themes)
                {
                    await themes.WriteRowAsync(cancellationToken, e.Id, code, level);
                }
            }

            await themes.CompleteAsync(cancellationToken);
        }

        await using (var unavailability = await connection.BeginBinaryImportAsync(
            "COPY expert_unavailability (expert_id, period) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var e in roster())
            {
                foreach (var (from, to) in e.Unavailability)
                {
                    await unavailability.StartRowAsync(cancellationToken);
                    await unavailability.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await unavailability.WriteAsync(new NpgsqlRange<DateOnly>(from, true, to, true), NpgsqlDbType.DateRange, cancellationToken);
                }
            }

            await unavailability.CompleteAsync(cancellationToken);
        }

        await DemoConsents.WriteAsync(connection, cancellationToken);
        return count;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);
}
