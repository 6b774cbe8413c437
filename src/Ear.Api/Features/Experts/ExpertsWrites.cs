using Dapper;
using Ear.Api.Features.Consent;
using Npgsql;

namespace Ear.Api.Features.Experts;

internal static class ExpertsWrites
{
    public const string EmailUniqueIndex = "experts_email_unique";

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ExpertDraft draft, Guid recordedBy, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO experts (id, given_name, family_name, email, phone, gender, nationality, kind, member_state,
                                 employer, position, bio, countries_of_experience, status, consent_recorded_at,
                                 consent_recorded_by, consent_basis, theme_codes, language_skills, created_at, updated_at, version)
            VALUES (@Id, @GivenName, @FamilyName, @Email, @Phone, @Gender, @Nationality, @Kind, @MemberState,
                    @Employer, @Position, @Bio, @CountriesOfExperience::char(2)[], @Status, @ConsentRecordedAt,
                    @ConsentRecordedBy, @ConsentBasis, @ThemeCodes, @LanguageSkills, now(), now(), 1)
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(id, draft), transaction, cancellationToken: cancellationToken));
        await InsertChildrenAsync(connection, transaction, id, draft, cancellationToken);
        if (draft.Consent is { } consent)
        {
            foreach (var purpose in new[] { ConsentVocabulary.RosterMembership }.Concat(draft.ConsentPurposes ?? []).Distinct())
            {
                await ConsentWrites.WriteAsync(connection, transaction, ProfileGrant(id, purpose, consent, recordedBy), cancellationToken);
            }
        }
    }

    /// <summary>
    /// The profile's consent field is the roster_membership grant: a PUT that brings one while none is in force grants it,
    /// and a PUT without one withdraws the grant in force. Other purposes change through /experts/{id}/consents only.
    /// </summary>
    private static async Task FollowProfileConsentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ExpertDraft draft,
        Guid recordedBy, CancellationToken cancellationToken)
    {
        var inForce = await ConsentQueries.IsGrantedAsync(connection, transaction, id, ConsentVocabulary.RosterMembership, cancellationToken);
        if (draft.Consent is { } consent && !inForce)
        {
            await ConsentWrites.WriteAsync(connection, transaction, ProfileGrant(id, ConsentVocabulary.RosterMembership, consent, recordedBy), cancellationToken);
        }
        else if (draft.Consent is null && inForce)
        {
            await ConsentWrites.WriteAsync(connection, transaction,
                new ConsentChange.Withdrawal(id, ConsentVocabulary.RosterMembership, recordedBy, "The profile's consent was removed."), cancellationToken);
        }
    }

    private static ConsentChange.Grant ProfileGrant(Guid id, string purpose, ConsentRecord consent, Guid recordedBy) =>
        new(id, purpose, ConsentVocabulary.StatedInProfile, recordedBy, Cut($"{consent.Basis} (recorded by {consent.RecordedBy})"),
            consent.RecordedAt!.Value, ExpiresAt: null);

    private static string Cut(string note) => note.Length <= 500 ? note : note[..500];

    /// <summary>
    /// Locks the expert's row until the transaction ends and returns its version, or null when the expert is
    /// not there, erased, or not the caller's. A deployment being booked holds the same row (FOR SHARE), so
    /// what is checked against the expert's deployments after this lock stays true until the commit. NO KEY
    /// UPDATE: enough to exclude that FOR SHARE, without holding back inserts that only reference the expert.
    /// </summary>
    public static Task<int?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string? scopeMemberState, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
            SELECT version FROM experts
            WHERE id = @id AND erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR member_state = @scopeMemberState::char(2))
            FOR NO KEY UPDATE
            """, new { id, scopeMemberState }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Replaces the profile if its version is still <paramref name="expectedVersion"/> (null: any), and
    /// returns the new version, or null when the expert is not there (or not the caller's) or has changed.
    /// </summary>
    public static async Task<int?> UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int? expectedVersion, string? scopeMemberState,
        ExpertDraft draft, Guid recordedBy, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE experts SET
                given_name = @GivenName, family_name = @FamilyName, email = @Email, phone = @Phone, gender = @Gender,
                nationality = @Nationality, kind = @Kind, member_state = @MemberState, employer = @Employer,
                position = @Position, bio = @Bio, countries_of_experience = @CountriesOfExperience::char(2)[],
                status = @Status, consent_recorded_at = @ConsentRecordedAt, consent_recorded_by = @ConsentRecordedBy,
                consent_basis = @ConsentBasis, theme_codes = @ThemeCodes, language_skills = @LanguageSkills,
                updated_at = now(), version = version + 1
            WHERE id = @Id AND erased_at IS NULL
              AND (@ExpectedVersion::int IS NULL OR version = @ExpectedVersion::int)
              AND (@ScopeMemberState::char(2) IS NULL OR member_state = @ScopeMemberState::char(2))
            RETURNING version
            """;
        var parameters = new DynamicParameters(Parameters(id, draft));
        parameters.Add("ExpectedVersion", expectedVersion);
        parameters.Add("ScopeMemberState", scopeMemberState);
        var version = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        if (version is null)
        {
            return null;
        }

        const string clear = """
            DELETE FROM expert_languages WHERE expert_id = @id;
            DELETE FROM expert_themes WHERE expert_id = @id;
            DELETE FROM expert_unavailability WHERE expert_id = @id;
            """;
        await connection.ExecuteAsync(new CommandDefinition(clear, new { id }, transaction, cancellationToken: cancellationToken));
        await InsertChildrenAsync(connection, transaction, id, draft, cancellationToken);
        await FollowProfileConsentAsync(connection, transaction, id, draft, recordedBy, cancellationToken);
        return version;
    }

    /// <summary>
    /// Erases the personal data and keeps an anonymised row: gender, nationality, kind, member state,
    /// status and the dates of creation and consent stay, because the statistics of past years count them.
    /// The caller has locked the row with <see cref="LockAsync"/>, which is where its scope was checked.
    /// </summary>
    public static async Task EraseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken)
    {
        const string anonymise = """
            UPDATE experts SET
                given_name = '', family_name = '', email = NULL, phone = NULL, employer = NULL, position = NULL,
                bio = NULL, countries_of_experience = '{}', consent_recorded_by = NULL, consent_basis = NULL,
                theme_codes = '{}', language_skills = '{}',
                cv_text = NULL, erased_at = now(), updated_at = now(), version = version + 1
            WHERE id = @id AND erased_at IS NULL
            """;
        await connection.ExecuteAsync(new CommandDefinition(anonymise, new { id }, transaction, cancellationToken: cancellationToken));

        // Every CV version goes; deployments stay (the statistics count them) but lose any free text that may name the expert.
        const string removeProfileDetails = """
            DELETE FROM expert_languages WHERE expert_id = @id;
            DELETE FROM expert_themes WHERE expert_id = @id;
            DELETE FROM expert_unavailability WHERE expert_id = @id;
            DELETE FROM cv_documents WHERE expert_id = @id;
            UPDATE deployments SET cancel_reason = NULL WHERE expert_id = @id;
            UPDATE evaluations SET comment = NULL WHERE deployment_id IN (SELECT id FROM deployments WHERE expert_id = @id);
            UPDATE expert_consents SET note = NULL, withdrawal_note = NULL WHERE expert_id = @id;
            UPDATE expert_confirmations SET note = NULL WHERE expert_id = @id;
            """;
        await connection.ExecuteAsync(new CommandDefinition(removeProfileDetails, new { id }, transaction, cancellationToken: cancellationToken));
    }

    private static object Parameters(Guid id, ExpertDraft draft) => new
    {
        Id = id,
        draft.GivenName,
        draft.FamilyName,
        draft.Email,
        draft.Phone,
        draft.Gender,
        draft.Nationality,
        draft.Kind,
        draft.MemberState,
        draft.Employer,
        draft.Position,
        draft.Bio,
        draft.CountriesOfExperience,
        draft.Status,
        ConsentRecordedAt = draft.Consent?.RecordedAt,
        ConsentRecordedBy = draft.Consent?.RecordedBy,
        ConsentBasis = draft.Consent?.Basis,
        ThemeCodes = draft.Themes.Select(t => t.Code).ToArray(),
        LanguageSkills = LanguageSkills(draft.Languages.Select(l => (l.Code, l.Rank))),
    };

    /// <summary>The search tokens of an expert's languages: one per level up to each language's.</summary>
    public static string[] LanguageSkills(IEnumerable<(string Code, short Rank)> languages) =>
        languages.SelectMany(l => Enumerable.Range(1, l.Rank).Select(rank => LanguageSkill(l.Code, rank))).ToArray();

    public static string LanguageSkill(string code, int minRank) => $"{code}:{minRank}";

    private static async Task InsertChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ExpertDraft draft, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO expert_languages (expert_id, language_code, level, level_rank)
            SELECT @id, l.code, l.level, l.rank
            FROM unnest(@languageCodes::char(2)[], @languageLevels::text[], @languageRanks::smallint[]) AS l (code, level, rank);

            INSERT INTO expert_themes (expert_id, theme_code, level)
            SELECT @id, t.code, t.level
            FROM unnest(@themeCodes::text[], @themeLevels::smallint[]) AS t (code, level);

            INSERT INTO expert_unavailability (expert_id, period)
            SELECT @id, daterange(u.from_date, u.to_date, '[]')
            FROM unnest(@unavailableFrom::date[], @unavailableTo::date[]) AS u (from_date, to_date);
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            id,
            languageCodes = draft.Languages.Select(l => l.Code).ToArray(),
            languageLevels = draft.Languages.Select(l => l.Level).ToArray(),
            languageRanks = draft.Languages.Select(l => l.Rank).ToArray(),
            themeCodes = draft.Themes.Select(t => t.Code).ToArray(),
            themeLevels = draft.Themes.Select(t => t.Level).ToArray(),
            unavailableFrom = draft.Unavailability.Select(u => u.From).ToArray(),
            unavailableTo = draft.Unavailability.Select(u => u.To).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
    }
}
