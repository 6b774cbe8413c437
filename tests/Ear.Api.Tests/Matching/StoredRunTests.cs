using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Matching;

/// <summary>A stored run is read back through today's contract, whenever it was stored.</summary>
public sealed class StoredRunTests : ApiTest
{
    [Test]
    public async Task A_run_stored_before_a_field_existed_reads_back_with_the_field_null()
    {
        var client = AsAdmin();
        var first = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var second = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var action = await AnAction().During("2027-03-01", "2027-03-10").CreateAsync(client);
        var result = await ReadJsonAsync(await PostJsonAsync(client, $"/api/v1/actions/{action}/matching",
            new { team = new { size = 1 }, explainExpertIds = new[] { first, second } }));
        var runId = result.GetProperty("runId").GetGuid();
        Assert.That(result.GetProperty("explanations").EnumerateArray().Count(e => e.GetProperty("alternative").ValueKind == System.Text.Json.JsonValueKind.Object),
            Is.EqualTo(1), "the expert left out of the team of one has an alternative");

        // As a run stored before alternatives were added would be.
        await using (var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await connection.ExecuteAsync("""
                UPDATE matching_runs
                SET response = jsonb_set(response, '{explanations}',
                    (SELECT jsonb_agg(e - 'alternative') FROM jsonb_array_elements(response -> 'explanations') AS e))
                WHERE id = @runId
                """, new { runId });
        }

        var run = await ReadJsonAsync(await client.GetAsync($"/api/v1/matching/runs/{runId}"));

        var explanations = run.GetProperty("response").GetProperty("explanations").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(explanations, Has.Count.EqualTo(2));
            Assert.That(explanations.Select(e => e.GetProperty("alternative").ValueKind), Is.All.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }
}
