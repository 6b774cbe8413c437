using System.Net;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

public sealed class ExpertErasureTests : ApiTest
{
    [Test]
    public async Task Erasure_leaves_no_personal_data_in_any_table()
    {
        var client = AsAdmin();
        var id = await AnExpert().Named("Wilhelmina", "Vandersteen").WithEmail("wilhelmina.vandersteen@example.org")
            .With("phone", "+31 70 555 0199").With("employer", "Koninklijke Marechaussee").With("position", "Kapitein")
            .With("bio", "Specialist in documentfraude").ExperiencedIn("MA").UnavailableFrom("2027-02-01", "2027-02-05")
            .CreateAsync(client);

        var erased = await client.DeleteAsync($"/api/v1/experts/{id}");

        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var answer = await ReadJsonAsync(erased);
        Assert.That(answer.GetProperty("erased").GetGuid(), Is.EqualTo(id));
        Assert.That(answer.GetProperty("cancelledDeployments").GetArrayLength(), Is.Zero);
        string[] personal = ["Wilhelmina", "Vandersteen", "wilhelmina.vandersteen", "555 0199", "Marechaussee", "Kapitein", "documentfraude"];
        Assert.That(await FindInEveryTextColumnAsync(personal), Is.Empty);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/experts/{id}"), 404);
    }

    [Test]
    public async Task An_erased_expert_keeps_an_anonymised_row_for_the_statistics_and_leaves_every_listing()
    {
        var client = AsAdmin();
        var id = await AnExpert().Of("eu_civil_servant", "PT", "PT").Gender("female").CreateAsync(client);

        await client.DeleteAsync($"/api/v1/experts/{id}");

        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        var row = await connection.QuerySingleAsync<(string Gender, string Nationality, string Kind, string MemberState, bool Erased)>(
            "SELECT gender, nationality, kind, member_state, erased_at IS NOT NULL FROM experts WHERE id = @id", new { id });
        Assert.That(row, Is.EqualTo(("female", "PT", "eu_civil_servant", "PT", true)));
        var page = await ReadJsonAsync(await client.GetAsync("/api/v1/experts"));
        Assert.That(page.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Erasing_twice_or_an_unknown_expert_answers_404()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        await client.DeleteAsync($"/api/v1/experts/{id}");

        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/experts/{id}"), 404);
        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/experts/{Guid.NewGuid()}"), 404);
    }

    [Test]
    public async Task The_data_export_holds_the_whole_profile()
    {
        var client = AsAdmin();
        var id = await AnExpert().WithEmail("subject@example.org").CreateAsync(client);

        var export = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}/export"));

        Assert.Multiple(() =>
        {
            Assert.That(export.GetProperty("profile").GetProperty("email").GetString(), Is.EqualTo("subject@example.org"));
            Assert.That(export.GetProperty("deployments").GetArrayLength(), Is.Zero);
        });
    }

    /// <summary>Every table.column of the public schema holding text in which one of the values occurs.</summary>
    private static async Task<List<string>> FindInEveryTextColumnAsync(string[] values)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        var columns = await connection.QueryAsync<(string Table, string Column)>("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character', 'character varying', 'ARRAY', 'jsonb', 'tsvector')
            """);
        var found = new List<string>();
        foreach (var (table, column) in columns)
        {
            var hits = await connection.ExecuteScalarAsync<long>(
                $"SELECT count(*) FROM \"{table}\" WHERE lower(\"{column}\"::text) LIKE ANY(@patterns)",
                new { patterns = values.Select(v => $"%{v.ToLowerInvariant()}%").ToArray() });
            if (hits > 0)
            {
                found.Add($"{table}.{column}");
            }
        }

        return found;
    }
}
