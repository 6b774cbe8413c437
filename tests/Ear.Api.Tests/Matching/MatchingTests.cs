using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Matching;

public sealed class MatchingTests : ApiTest
{
    private static object Request(object? team = null, IEnumerable<Guid>? explain = null) => new
    {
        themes = new[] { new { code = "irregular", weight = 1.0 } },
        beneficiaryCountries = new[] { "PE" },
        languages = new[] { new { code = "es", minLevel = "B2", required = true } },
        period = new { from = "2027-03-01", to = "2027-03-10" },
        team,
        explainExpertIds = explain ?? [],
    };

    [Test]
    public async Task Candidates_are_ranked_with_components_weights_reasons_and_a_score_that_is_their_weighted_sum()
    {
        var client = AsAdmin();
        var strong = await AnExpert().Knowing("irregular.trafficking", 3).Speaking("es", "C2").CreateAsync(client);
        var weak = await AnExpert().Knowing("legal", 1).Speaking("es", "B2").CreateAsync(client);
        await AnExpert().OnlySpeaking("fr", "native").CreateAsync(client);

        var result = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Request()));

        var candidates = result.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(candidates.Select(c => c.GetProperty("expertId").GetGuid()), Is.EqualTo(new[] { strong, weak }));
            Assert.That(result.GetProperty("excluded").GetProperty("required_language").GetInt32(), Is.EqualTo(1));
            Assert.That(candidates[0].GetProperty("rank").GetInt32(), Is.EqualTo(1));
            Assert.That(candidates[0].GetProperty("origin").GetString(), Is.EqualTo("eu"));
            Assert.That(candidates[0].GetProperty("reasons").GetArrayLength(), Is.GreaterThan(0));
        });
        foreach (var candidate in candidates)
        {
            var weights = candidate.GetProperty("weights");
            var sum = candidate.GetProperty("components").EnumerateObject().Sum(c => c.Value.GetDouble() * weights.GetProperty(c.Name).GetDouble());
            Assert.That(candidate.GetProperty("score").GetDouble(), Is.EqualTo(sum).Within(1e-9));
        }
    }

    [Test]
    public async Task A_change_committed_before_the_request_is_reflected_in_its_answer()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        Assert.That((await MatchAsync(client)).GetProperty("eligible").GetInt32(), Is.EqualTo(1));

        var etag = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{expert}")
        {
            Content = JsonContent.Create(AnExpert().Speaking("es", "C1").UnavailableFrom("2027-03-05", "2027-03-06").Build(), options: Json),
        };
        update.Headers.IfMatch.Add(etag);
        Assert.That((await client.SendAsync(update)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var after = await MatchAsync(client);
        Assert.That(after.GetProperty("excluded").GetProperty("unavailable").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_new_deployment_and_an_evaluation_are_reflected_at_once()
    {
        var client = AsAdmin();
        var busy = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var judged = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var action = await AnAction().During("2025-01-01", "2027-12-31").CreateApprovedAsync(client);
        var now = await AddActivityAsync(client, action, "2027-03-02", "2027-03-04");
        var past = await AddActivityAsync(client, action, "2025-02-01", "2025-02-03");
        await MatchAsync(client);

        await PostJsonAsync(client, $"/api/v1/activities/{now}/deployments", new { expertId = busy });
        var deployment = await ReadJsonAsync(await PostJsonAsync(client, $"/api/v1/activities/{past}/deployments", new { expertId = judged }));
        await client.PutAsJsonAsync($"/api/v1/deployments/{deployment.GetProperty("id").GetGuid()}/evaluation", new { rating = 1, recommendation = "do_not_redeploy" }, Json);

        var result = await MatchAsync(client);
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("excluded").GetProperty("already_deployed").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("excluded").GetProperty("do_not_redeploy").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("eligible").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task A_team_is_proposed_and_an_impossible_one_names_what_is_unmet()
    {
        var client = AsAdmin();
        await AnExpert().Speaking("es", "C1").CreateAsync(client);
        await AnExpert().Speaking("es", "C1").Of("south_civil_servant", "BO").CreateAsync(client);

        var possible = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Request(new { size = 2, minEu = 1, minSouth = 1 })));
        var impossible = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Request(new { size = 2, minSouth = 2 })));

        Assert.Multiple(() =>
        {
            Assert.That(possible.GetProperty("team").GetProperty("feasible").GetBoolean(), Is.True);
            Assert.That(possible.GetProperty("team").GetProperty("members").GetArrayLength(), Is.EqualTo(2));
            Assert.That(impossible.GetProperty("team").GetProperty("feasible").GetBoolean(), Is.False);
            Assert.That(impossible.GetProperty("team").GetProperty("unmet")[0].GetString(), Does.StartWith("minSouth"));
        });
    }

    [Test]
    public async Task Experts_asked_about_are_explained()
    {
        var client = AsAdmin();
        var peruvian = await AnExpert().Speaking("es", "native").Of("south_civil_servant", "PE").CreateAsync(client);
        var eligible = await AnExpert().Speaking("es", "C1").CreateAsync(client);

        var result = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Request(explain: [peruvian, eligible])));

        var explanations = result.GetProperty("explanations").EnumerateArray().ToDictionary(e => e.GetProperty("expertId").GetGuid());
        Assert.Multiple(() =>
        {
            Assert.That(explanations[peruvian].GetProperty("failedRules")[0].GetString(), Does.Contain("conflict of interest"));
            Assert.That(explanations[eligible].GetProperty("candidate").GetProperty("rank").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_eligible_expert_left_out_of_the_team_is_shown_the_best_team_with_them_and_what_it_costs()
    {
        var client = AsAdmin();
        var strong = await AnExpert().Knowing("irregular.trafficking", 3).Speaking("es", "C2").CreateAsync(client);
        var weak = await AnExpert().Knowing("irregular.trafficking", 1).Speaking("es", "B2").CreateAsync(client);

        var result = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Request(new { size = 1 }, explain: [strong, weak])));

        var explanations = result.GetProperty("explanations").EnumerateArray().ToDictionary(e => e.GetProperty("expertId").GetGuid());
        var alternative = explanations[weak].GetProperty("alternative");
        var difference = result.GetProperty("team").GetProperty("totalScore").GetDouble() - explanations[weak].GetProperty("candidate").GetProperty("score").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("team").GetProperty("members")[0].GetGuid(), Is.EqualTo(strong));
            Assert.That(explanations[strong].GetProperty("alternative").ValueKind, Is.EqualTo(JsonValueKind.Null), "a member needs no alternative");
            Assert.That(alternative.GetProperty("feasible").GetBoolean(), Is.True);
            Assert.That(alternative.GetProperty("members").EnumerateArray().Select(m => m.GetGuid()), Is.EqualTo(new[] { weak }));
            Assert.That(alternative.GetProperty("difference").GetDouble(), Is.EqualTo(difference).Within(1e-9));
            Assert.That(difference, Is.GreaterThan(0.005), "the cost shows at two decimals");
            Assert.That(alternative.GetProperty("summary").GetString(), Does.StartWith(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Including {weak} lowers the team's score by {difference:F2}: with them the team is {weak}")));
        });
    }

    [Test]
    public async Task Matching_for_an_action_uses_its_fields_stores_the_run_and_lets_the_body_override()
    {
        var client = AsAdmin();
        var speaker = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var action = await AnAction().During("2027-03-01", "2027-03-10").CreateAsync(client);

        var response = await PostJsonAsync(client, $"/api/v1/actions/{action}/matching", new { team = new { size = 1 } });
        var result = await ReadJsonAsync(response);
        var run = await ReadJsonAsync(await client.GetAsync($"/api/v1/matching/runs/{result.GetProperty("runId").GetGuid()}"));
        var overridden = await ReadJsonAsync(await PostJsonAsync(client, $"/api/v1/actions/{action}/matching",
            new { languages = new[] { new { code = "de", minLevel = "C1", required = true } } }));

        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("team").GetProperty("members")[0].GetGuid(), Is.EqualTo(speaker));
            Assert.That(run.GetProperty("actionId").GetGuid(), Is.EqualTo(action));
            Assert.That(run.GetProperty("request").GetProperty("beneficiaryCountries")[0].GetString(), Is.EqualTo("PE"));
            Assert.That(run.GetProperty("response").GetProperty("candidates")[0].GetProperty("expertId").GetGuid(), Is.EqualTo(speaker));
            Assert.That(overridden.GetProperty("eligible").GetInt32(), Is.Zero);
        });
    }

    [TestCase("themes", "[{\"code\":\"nope\"}]", "themes[0].code")]
    [TestCase("languages", "[{\"code\":\"es\",\"minLevel\":\"Z9\"}]", "languages[0].minLevel")]
    [TestCase("team", "{\"size\":7}", "team.size")]
    [TestCase("weights", "{\"charm\":1}", "weights.charm")]
    [TestCase("weights", "{\"themeFit\":-1}", "weights.themeFit")]
    [TestCase("limit", "0", "limit")]
    [TestCase("period", "null", "period")]
    [TestCase("beneficiaryCountries", "[\"XX\"]", "beneficiaryCountries[0]")]
    public async Task A_bad_matching_request_is_named(string field, string json, string error)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(Request(), Json))!;
        body[field] = JsonDocument.Parse(json).RootElement;

        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/matching", body), error);
    }

    [Test]
    public async Task Readers_may_match_and_focal_points_may_not()
    {
        var reader = WithKey(await Keys.IssueAsync("reader"));
        var focal = WithKey(await Keys.IssueAsync("focal_point", "FR"));

        Assert.That((await PostJsonAsync(reader, "/api/v1/matching", Request())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(await PostJsonAsync(focal, "/api/v1/matching", Request()), 403);
    }

    private static async Task<JsonElement> MatchAsync(HttpClient client)
    {
        var response = await PostJsonAsync(client, "/api/v1/matching", Request());
        var body = await ReadJsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
        return body;
    }
}
