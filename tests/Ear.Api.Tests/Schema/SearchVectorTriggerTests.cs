using Dapper;
using Ear.Api.Auth;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// Every change to a column a search reads, made in SQL as any writer could, leaves expert_search as a fresh
/// computation from experts would make it: the facets a filtered count intersects with q (one word per value of
/// each filtered column, spelled out here independently of ear_expert_facets), and the vectors of what each
/// tier adds to the one before. Each case runs in a transaction that is rolled back.
/// </summary>
public sealed class SearchVectorTriggerTests
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

    private static readonly (string Name, string Sql)[] Changes =
    [
        ("nothing (as the API wrote it)", "SELECT 1"),
        ("kind", "UPDATE experts SET kind = 'academic', member_state = NULL WHERE id = @a"),
        ("nationality", "UPDATE experts SET nationality = 'SN' WHERE id = @a"),
        ("member state", "UPDATE experts SET member_state = 'DE' WHERE id = @a"),
        ("status", "UPDATE experts SET status = 'inactive' WHERE id = @a"),
        ("language skills", "UPDATE experts SET language_skills = '{es:1,es:2,es:3}' WHERE id = @a"),
        ("countries of experience", "UPDATE experts SET countries_of_experience = '{PE,SN}' WHERE id = @a"),
        ("themes", "UPDATE experts SET theme_codes = '{legal}' WHERE id = @a"),
        ("bio", "UPDATE experts SET bio = 'Forensic accountancy' WHERE id = @a"),
        ("CV text repeating the profile", "UPDATE experts SET cv_text = 'Twenty years of border management, and forensic accountancy.' WHERE id = @a"),
        ("every expert at once", "UPDATE experts SET status = 'inactive', language_skills = '{}'"),
        ("a new expert", """
            INSERT INTO experts (id, given_name, family_name, gender, nationality, kind, member_state, status, theme_codes,
                                 language_skills, countries_of_experience, bio, created_at, updated_at)
            VALUES (gen_random_uuid(), 'C', 'Okafor', 'male', 'NG', 'eu_civil_servant', 'IE', 'active', '{legal}',
                    '{en:1,en:2}', '{NG}', 'Okafor consulting', now(), now())
            """),
    ];

    private static IEnumerable<TestCaseData> Cases() => Changes.Select(c => new TestCaseData(c.Sql).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Cases))]
    public async Task After_each_change_expert_search_holds_what_experts_say(string sql)
    {
        var world = _world ?? throw new InvalidOperationException("The world was not made.");
        // facets: every value of every filtered column, named by its filter. profile_only and cv_only: what the
        // profile adds to the names and themes, what the CV adds to the profile. Compared as sorted arrays.
        const string stale = """
            SELECT e.id
            FROM experts e
            JOIN expert_search s ON s.expert_id = e.id
            CROSS JOIN LATERAL (
                SELECT array_agg(w ORDER BY w) AS facets
                FROM unnest(ARRAY['kind:' || e.kind, 'nationality:' || e.nationality, 'status:' || e.status,
                                  'member_state:' || e.member_state]
                            || ARRAY(SELECT 'theme:' || t FROM unnest(e.theme_codes) t)
                            || ARRAY(SELECT 'language:' || l FROM unnest(e.language_skills) l)
                            || ARRAY(SELECT 'country:' || c FROM unnest(e.countries_of_experience) c)) w
                WHERE w IS NOT NULL) expected
            WHERE expected.facets IS DISTINCT FROM ARRAY(SELECT f FROM unnest(s.facets) f ORDER BY f)
               OR ARRAY(SELECT unnest(tsvector_to_array(s.profile_only)) ORDER BY 1) IS DISTINCT FROM
                  ARRAY(SELECT unnest(tsvector_to_array(s.profile)) EXCEPT SELECT unnest(tsvector_to_array(s.names_themes)) ORDER BY 1)
               OR ARRAY(SELECT unnest(tsvector_to_array(s.cv_only)) ORDER BY 1) IS DISTINCT FROM
                  ARRAY(SELECT unnest(tsvector_to_array(s.document)) EXCEPT SELECT unnest(tsvector_to_array(s.profile)) ORDER BY 1)
            """;
        Guid[] wrong;
        long experts;
        await using (var connection = await RosterWorld.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(sql, new { a = world.A, b = world.B }, transaction);
            wrong = (await connection.QueryAsync<Guid>(stale, transaction: transaction)).ToArray();
            experts = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM experts e JOIN expert_search s ON s.expert_id = e.id", transaction: transaction);
            await transaction.RollbackAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(wrong, Is.Empty, "experts whose facets or tier vectors are stale");
            Assert.That(experts, Is.GreaterThanOrEqualTo(2));
        });
    }
}
