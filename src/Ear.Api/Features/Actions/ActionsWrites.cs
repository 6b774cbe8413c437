using Dapper;
using Npgsql;

namespace Ear.Api.Features.Actions;

internal static class ActionsWrites
{
    public const string CodeUniqueIndex = "actions_code_unique";

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ActionDraft draft, Guid changedBy, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO actions (id, code, title, requesting_authority, beneficiary_countries, regional_organisation, region, themes,
                                 working_languages, requested_at, period, status, created_at, updated_at, version)
            VALUES (@Id, @Code, @Title, @RequestingAuthority, @BeneficiaryCountries::char(2)[], @RegionalOrganisation, @Region, @Themes,
                    @WorkingLanguages::char(2)[], @RequestedAt, CASE WHEN @PeriodFrom::date IS NULL THEN NULL ELSE daterange(@PeriodFrom::date, @PeriodTo::date, '[]') END,
                    'requested', now(), now(), 1);

            INSERT INTO action_status_changes (action_id, from_status, to_status, note, changed_by, changed_at)
            VALUES (@Id, NULL, 'requested', 'Request recorded.', @ChangedBy, now());
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(id, draft, changedBy), transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the action's description if its version is still the expected one; null when not.</summary>
    public static async Task<int?> UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int? expectedVersion, ActionDraft draft, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE actions SET
                code = @Code, title = @Title, requesting_authority = @RequestingAuthority,
                beneficiary_countries = @BeneficiaryCountries::char(2)[], regional_organisation = @RegionalOrganisation,
                region = @Region, themes = @Themes, working_languages = @WorkingLanguages::char(2)[], requested_at = @RequestedAt,
                period = CASE WHEN @PeriodFrom::date IS NULL THEN NULL ELSE daterange(@PeriodFrom::date, @PeriodTo::date, '[]') END,
                updated_at = now(), version = version + 1
            WHERE id = @Id AND (@ExpectedVersion::int IS NULL OR version = @ExpectedVersion::int)
            RETURNING version
            """;
        var parameters = new DynamicParameters(Parameters(id, draft, Guid.Empty));
        parameters.Add("ExpectedVersion", expectedVersion);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The action's status, locked until the transaction ends, so that two transitions cannot interleave.</summary>
    public static Task<string?> LockStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM actions WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Holds the action still (its period, its status) until the transaction ends.</summary>
    public static Task ShareLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM actions WHERE id = @id FOR SHARE", new { id }, transaction, cancellationToken: cancellationToken));

    public static async Task MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string from, string to, string? note, Guid changedBy, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE actions SET status = @to, updated_at = now(), version = version + 1 WHERE id = @id;

            INSERT INTO action_status_changes (action_id, from_status, to_status, note, changed_by, changed_at)
            VALUES (@id, @from, @to, @note, @changedBy, now());
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, from, to, note, changedBy }, transaction, cancellationToken: cancellationToken));
    }

    public static async Task InsertActivityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ActivityRow activity, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO activities (id, action_id, type, title, period, country, remote, created_at)
            VALUES (@Id, @ActionId, @Type, @Title, daterange(@From, @To, '[]'), @Country, @Remote, now())
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, activity, transaction, cancellationToken: cancellationToken));
    }

    private static object Parameters(Guid id, ActionDraft draft, Guid changedBy) => new
    {
        Id = id,
        draft.Code,
        draft.Title,
        draft.RequestingAuthority,
        draft.BeneficiaryCountries,
        draft.RegionalOrganisation,
        draft.Region,
        draft.Themes,
        draft.WorkingLanguages,
        draft.RequestedAt,
        draft.PeriodFrom,
        draft.PeriodTo,
        ChangedBy = changedBy,
    };
}
