using Dapper;
using Ear.Api.Auth;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// Every kind of change to a table matching reads, made in SQL as any writer could (a fix-up script, a
/// future endpoint), logs the right experts in roster_changes, and a change of a column matching does
/// not read logs nobody. The service's own writes are in <see cref="RosterChangeWriteTests"/>. One world
/// serves every case: each runs in a transaction that is rolled back.
/// </summary>
public sealed class RosterChangeTriggerTests
{
    private RosterWorld? _world;

    [OneTimeSetUp]
    public async Task CreateWorldAsync()
    {
        await TestEnvironment.ResetAsync();
        var admin = TestEnvironment.Factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, TestEnvironment.AdminKey);
        _world = await RosterWorld.CreateAsync(admin);
    }

    /// <summary>An SQL statement over the world (@a, @b, @c: experts, C unknown to it; @deployment, @activity, @action) and who it must log.</summary>
    public sealed record Change(string Name, string Sql, string Logged)
    {
        public override string ToString() => Name;
    }

    private static readonly Change[] Changes =
    [
        new("experts insert", """
            INSERT INTO experts (id, given_name, family_name, gender, nationality, kind, status, created_at, updated_at)
            VALUES (@c, 'C', 'C', 'male', 'SN', 'academic', 'active', now(), now())
            """, "C"),
        new("experts update of a fact matching reads (status)", "UPDATE experts SET status = 'inactive' WHERE id = @a", "A"),
        new("experts update of a fact matching reads (countries of experience)", "UPDATE experts SET countries_of_experience = '{PE}' WHERE id = @b", "B"),
        new("experts update matching does not read (CV text, phone, names, version)",
            "UPDATE experts SET cv_text = 'new text', phone = '+1', given_name = 'Z', version = version + 1, updated_at = now()", ""),
        new("experts delete", "DELETE FROM experts WHERE id = @b", "B"),
        new("experts update of a fact matching reads (waiting for re-confirmation)", "UPDATE experts SET pending_reconfirmation_since = now() WHERE id = @a", "A"),
        new("experts update matching does not read (confirmation date)", "UPDATE experts SET confirmed_at = now() - interval '1 day'", ""),
        new("expert_consents insert (a grant)",
            "INSERT INTO expert_consents (expert_id, purpose, basis, recorded_at) VALUES (@b, 'evaluation_use', 'expert_declaration', now())", "B"),
        new("expert_consents update (a withdrawal)", "UPDATE expert_consents SET withdrawn_at = now() WHERE expert_id = @a", "A"),
        new("expert_consents delete", "DELETE FROM expert_consents WHERE expert_id = @a", "A"),
        new("expert_languages insert", "INSERT INTO expert_languages VALUES (@b, 'en', 'B2', 4)", "B"),
        new("expert_languages update of the level", "UPDATE expert_languages SET level = 'B2', level_rank = 4 WHERE expert_id = @a", "A"),
        new("expert_languages update moving a row to another expert", "UPDATE expert_languages SET expert_id = @b WHERE expert_id = @a", "A B"),
        new("expert_languages update matching does not read", "UPDATE expert_languages SET level = level", ""),
        new("expert_languages delete", "DELETE FROM expert_languages WHERE expert_id = @a", "A"),
        new("expert_themes insert", "INSERT INTO expert_themes VALUES (@b, 'legal', 2)", "B"),
        new("expert_themes update of the level", "UPDATE expert_themes SET level = 1 WHERE expert_id = @a", "A"),
        new("expert_themes update of the theme", "UPDATE expert_themes SET theme_code = 'legal' WHERE expert_id = @a", "A"),
        new("expert_themes update matching does not read", "UPDATE expert_themes SET level = level", ""),
        new("expert_themes delete", "DELETE FROM expert_themes WHERE expert_id = @a", "A"),
        new("expert_unavailability insert", "INSERT INTO expert_unavailability VALUES (@b, '[2027-02-01,2027-02-10)')", "B"),
        new("expert_unavailability update of the period", "UPDATE expert_unavailability SET period = '[2027-03-01,2027-03-10)' WHERE expert_id = @a", "A"),
        new("expert_unavailability update matching does not read", "UPDATE expert_unavailability SET period = period", ""),
        new("expert_unavailability delete", "DELETE FROM expert_unavailability WHERE expert_id = @a", "A"),
        new("deployments insert", """
            INSERT INTO deployments (id, activity_id, expert_id, role, period, created_at)
            VALUES (gen_random_uuid(), @activity, @b, 'expert', '[2025-03-01,2025-03-03)', now())
            """, "B"),
        new("deployments update: cancelled", "UPDATE deployments SET cancelled_at = now() WHERE id = @deployment", "A"),
        new("deployments update: other days", "UPDATE deployments SET period = '[2025-03-02,2025-03-04)' WHERE id = @deployment", "A"),
        new("deployments update: another expert", "UPDATE deployments SET expert_id = @b WHERE id = @deployment", "A B"),
        new("deployments update matching does not read (cancel reason, role)", "UPDATE deployments SET cancel_reason = 'x', role = 'lead_expert'", ""),
        new("deployments delete", "DELETE FROM deployments WHERE id = @deployment", "A"),
        // The world's deployment is evaluated already: its evaluation goes first, and what that logged with it.
        new("evaluations insert", """
            DELETE FROM evaluations;
            DELETE FROM roster_changes;
            INSERT INTO evaluations (deployment_id, rating, recommendation, evaluated_at) VALUES (@deployment, 3, 'redeploy', now());
            """, "A"),
        new("evaluations update of the rating", "UPDATE evaluations SET rating = 1", "A"),
        new("evaluations update of the recommendation", "UPDATE evaluations SET recommendation = 'do_not_redeploy'", "A"),
        new("evaluations update matching does not read (comment)", "UPDATE evaluations SET comment = NULL", ""),
        new("evaluations delete", "DELETE FROM evaluations", "A"),
        new("activities update of the country", "UPDATE activities SET country = 'BO' WHERE id = @activity", "A"),
        new("activities update matching does not read (title)", "UPDATE activities SET title = 'Renamed'", ""),
        new("actions update of the themes", "UPDATE actions SET themes = '{legal}' WHERE id = @action", "A"),
        new("actions update of the beneficiary countries", "UPDATE actions SET beneficiary_countries = '{BO}' WHERE id = @action", "A"),
        new("actions update matching does not read (status, title)", "UPDATE actions SET status = 'in_implementation', title = 'Renamed'", ""),
    ];

    [TestCaseSource(nameof(Changes))]
    public async Task Each_change_matching_reads_logs_its_experts_and_no_other_change_logs_anyone(Change change)
    {
        var world = _world ?? throw new InvalidOperationException("The world was not made.");
        var c = Guid.NewGuid();
        Guid[] logged;
        await using (var connection = await RosterWorld.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("DELETE FROM roster_changes", transaction: transaction);
            await connection.ExecuteAsync(change.Sql,
                new { a = world.A, b = world.B, c, deployment = world.Deployment, activity = world.Activity, action = world.Action }, transaction);
            logged = (await connection.QueryAsync<Guid>("SELECT DISTINCT expert_id FROM roster_changes", transaction: transaction)).ToArray();
            await transaction.RollbackAsync();
        }

        var names = new Dictionary<string, Guid> { ["A"] = world.A, ["B"] = world.B, ["C"] = c };
        var expected = change.Logged.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => names[n]);
        Assert.That(logged, Is.EquivalentTo(expected));
    }
}
