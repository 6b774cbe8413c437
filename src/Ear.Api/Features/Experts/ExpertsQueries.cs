using Dapper;
using Npgsql;

namespace Ear.Api.Features.Experts;

/// <summary>
/// A search's filters, already validated and resolved to what the SQL compares: theme codes include
/// the sub-themes, a region is its countries, an origin is its kinds. A null filter is not applied.
/// </summary>
internal sealed record ExpertFilter
{
    public string? ScopeMemberState { get; init; }
    public string[]? ThemeCodes { get; init; }
    /// <summary>A language_skills token, "fr:4" for French at B2 or better.</summary>
    public string? LanguageSkill { get; init; }
    public string[]? Kinds { get; init; }
    public string? Nationality { get; init; }
    public string? MemberState { get; init; }
    public string? CountryOfExperience { get; init; }
    public string[]? RegionCountries { get; init; }
    public DateOnly? AvailableFrom { get; init; }
    public DateOnly? AvailableTo { get; init; }
    public string? Status { get; init; }
    public string? Text { get; init; }

    /// <summary>Whether a filter held in expert_search's facets narrows the search (the scope included).</summary>
    public bool NarrowsByFacet => ScopeMemberState is not null || ThemeCodes is not null || LanguageSkill is not null || Kinds is not null
        || Nationality is not null || MemberState is not null || CountryOfExperience is not null || RegionCountries is not null || Status is not null;
}

internal sealed record ExpertChildren(
    ILookup<Guid, ExpertLanguageRow> Languages,
    ILookup<Guid, ExpertThemeRow> Themes,
    ILookup<Guid, UnavailabilityRow> Unavailability);

internal static class ExpertsQueries
{
    private static DynamicParameters PageParameters(ExpertFilter filter, Guid? after, int limit)
    {
        var parameters = new DynamicParameters(filter);
        parameters.Add("After", after);
        parameters.Add("Limit", limit);
        return parameters;
    }

    internal const string Columns = """
        e.id, e.given_name, e.family_name, e.email, e.phone, e.gender, e.nationality, e.kind, e.member_state,
        e.employer, e.position, e.bio, e.countries_of_experience, e.status, e.consent_recorded_at,
        e.consent_recorded_by, e.consent_basis, e.created_at, e.updated_at, e.version, e.confirmed_at,
        e.pending_reconfirmation_since
        """;

    // Every filter is written once, switched off by a null parameter; PostgreSQL plans each statement
    // with the actual values, so the switched-off predicates cost nothing.
    internal const string Filters = """
        e.erased_at IS NULL
        AND (@ScopeMemberState::char(2) IS NULL OR e.member_state = @ScopeMemberState::char(2))
        AND (@ThemeCodes::text[] IS NULL OR e.theme_codes && @ThemeCodes::text[])
        AND (@LanguageSkill::text IS NULL OR e.language_skills @> ARRAY[@LanguageSkill::text])
        AND (@Kinds::text[] IS NULL OR e.kind = ANY(@Kinds::text[]))
        AND (@Nationality::char(2) IS NULL OR e.nationality = @Nationality::char(2))
        AND (@MemberState::char(2) IS NULL OR e.member_state = @MemberState::char(2))
        AND (@CountryOfExperience::char(2) IS NULL OR e.countries_of_experience @> ARRAY[@CountryOfExperience::char(2)])
        AND (@RegionCountries::char(2)[] IS NULL OR e.countries_of_experience && @RegionCountries::char(2)[])
        AND (@AvailableFrom::date IS NULL OR NOT EXISTS (
            SELECT 1 FROM expert_unavailability u
            WHERE u.expert_id = e.id AND u.period && daterange(@AvailableFrom::date, @AvailableTo::date, '[]')))
        AND (@AvailableFrom::date IS NULL OR NOT EXISTS (
            SELECT 1 FROM deployments d
            WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND d.period && daterange(@AvailableFrom::date, @AvailableTo::date, '[]')))
        AND (@Status::text IS NULL OR e.status = @Status::text)
        AND (@Text::text IS NULL OR e.id IN (
            SELECT s.expert_id FROM expert_search s WHERE s.document @@ ear_search_query(@Text::text)))
        """;

    public static async Task<ExpertRow?> GetAsync(NpgsqlConnection connection, Guid id, string? scopeMemberState, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM experts e
            WHERE e.id = @id AND e.erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR e.member_state = @scopeMemberState::char(2))
            """;
        return await connection.QuerySingleOrDefaultAsync<ExpertRow>(
            new CommandDefinition(sql, new { id, scopeMemberState }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// One expert and every list its profile shows, in one statement (one round trip): each list comes as
    /// a JSON array whose fields are named as the profile names them. The unavailability is sorted in a
    /// subquery so that PostgreSQL reads it in order from expert_unavailability_by_expert (migration 0018)
    /// rather than from the exclusion constraint's far slower GiST index.
    /// </summary>
    public static async Task<ExpertProfileRow?> GetProfileAsync(NpgsqlConnection connection, Guid id, string? scopeMemberState, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns},
                (SELECT coalesce(json_agg(json_build_object('code', l.language_code, 'level', l.level) ORDER BY l.language_code), '[]')
                 FROM expert_languages l WHERE l.expert_id = e.id)::text AS languages_json,
                (SELECT coalesce(json_agg(json_build_object('code', t.theme_code, 'level', t.level) ORDER BY t.theme_code), '[]')
                 FROM expert_themes t WHERE t.expert_id = e.id)::text AS themes_json,
                (SELECT coalesce(json_agg(json_build_object('from', lower(u.period), 'to', upper(u.period) - 1)), '[]')
                 FROM (SELECT period FROM expert_unavailability WHERE expert_id = e.id ORDER BY lower(period)) u)::text AS unavailability_json
            FROM experts e
            WHERE e.id = @id AND e.erased_at IS NULL
              AND (@scopeMemberState::char(2) IS NULL OR e.member_state = @scopeMemberState::char(2))
            """;
        return await connection.QuerySingleOrDefaultAsync<ExpertProfileRow>(
            new CommandDefinition(sql, new { id, scopeMemberState }, cancellationToken: cancellationToken));
    }

    /// <summary>The matches in id order after @After, at most @Limit of them.</summary>
    private const string Page = $"""
        SELECT {Columns}
        FROM experts e
        WHERE {Filters}
          AND (@After::uuid IS NULL OR e.id > @After::uuid)
        ORDER BY e.id
        LIMIT @Limit
        """;

    /// <summary>One page in id order after <paramref name="after"/>, without counting (the CSV export walks them all).</summary>
    public static async Task<IReadOnlyList<ExpertRow>> PageAsync(
        NpgsqlConnection connection, ExpertFilter filter, Guid? after, int limit, CancellationToken cancellationToken)
    {
        return (await connection.QueryAsync<ExpertRow>(
            new CommandDefinition(Page, PageParameters(filter, after, limit), cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The experts holding these e-mails (compared without case, keyed in lower case), and which of these ids are taken.</summary>
    public static async Task<(IReadOnlyDictionary<string, Guid> Emails, IReadOnlySet<Guid> Ids)> FindTakenAsync(
        NpgsqlConnection connection, string[] emails, Guid[] ids, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT lower(email), id FROM experts WHERE lower(email) = ANY(@emails);
            SELECT id FROM experts WHERE id = ANY(@ids);
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { emails = emails.Select(e => e.ToLowerInvariant()).ToArray(), ids }, cancellationToken: cancellationToken));
        var takenEmails = (await results.ReadAsync<(string Email, Guid Id)>()).ToDictionary(t => t.Email, t => t.Id, StringComparer.Ordinal);
        var takenIds = (await results.ReadAsync<Guid>()).ToHashSet();
        return (takenEmails, takenIds);
    }

    /// <summary>The expert whose e-mail this is, compared without case.</summary>
    public static Task<Guid?> EmailHolderAsync(NpgsqlConnection connection, string email, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM experts WHERE lower(email) = lower(@email)", new { email }, cancellationToken: cancellationToken));

    public static async Task<ExpertChildren> GetChildrenAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT expert_id, language_code, level FROM expert_languages WHERE expert_id = ANY(@ids) ORDER BY expert_id, language_code;
            SELECT expert_id, theme_code, level FROM expert_themes WHERE expert_id = ANY(@ids) ORDER BY expert_id, theme_code;
            SELECT expert_id, lower(period) AS from, upper(period) - 1 AS to
            FROM expert_unavailability WHERE expert_id = ANY(@ids) ORDER BY expert_id, lower(period);
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { ids }, cancellationToken: cancellationToken));
        var languages = (await results.ReadAsync<ExpertLanguageRow>()).ToLookup(l => l.ExpertId);
        var themes = (await results.ReadAsync<ExpertThemeRow>()).ToLookup(t => t.ExpertId);
        var unavailability = (await results.ReadAsync<UnavailabilityRow>()).ToLookup(u => u.ExpertId);
        return new ExpertChildren(languages, themes, unavailability);
    }
}
