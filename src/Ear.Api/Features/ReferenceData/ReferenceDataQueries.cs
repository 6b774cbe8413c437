using Dapper;
using Npgsql;

namespace Ear.Api.Features.ReferenceData;

internal static class ReferenceDataQueries
{
    public static async Task<ReferenceSnapshot> LoadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT code AS Code, name_en AS NameEn, name_fr AS NameFr, name_es AS NameEs FROM countries ORDER BY code;
            SELECT country_code AS CountryCode, lower(period) AS From, upper(period) AS Until FROM eu_memberships ORDER BY country_code, lower(period);
            SELECT code AS Code, label_en AS LabelEn, label_fr AS LabelFr, label_es AS LabelEs FROM regions ORDER BY sort_order;
            SELECT region_code AS RegionCode, country_code AS CountryCode FROM region_countries ORDER BY region_code, country_code;
            SELECT code AS Code, name_en AS NameEn, name_fr AS NameFr, name_es AS NameEs FROM languages ORDER BY code;
            SELECT code AS Code, parent_code AS ParentCode, label_en AS LabelEn, label_fr AS LabelFr, label_es AS LabelEs
            FROM themes ORDER BY parent_code NULLS FIRST, sort_order;
            """;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return new ReferenceSnapshot(
            (await results.ReadAsync<CountryRow>()).AsList(),
            (await results.ReadAsync<MembershipRow>()).AsList(),
            (await results.ReadAsync<RegionRow>()).AsList(),
            (await results.ReadAsync<RegionCountryRow>()).AsList(),
            (await results.ReadAsync<LanguageRow>()).AsList(),
            (await results.ReadAsync<ThemeRow>()).AsList());
    }
}
