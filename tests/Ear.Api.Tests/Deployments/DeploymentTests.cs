using System.Net;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Deployments;

public sealed class DeploymentTests : ApiTest
{
    [Test]
    public async Task A_deployment_appears_in_the_expert_history_and_the_action_team()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().With("themes", new[] { "irregular.trafficking" }).CreateApprovedAsync(client);
        var activity = await AddActivityAsync(client, action, "2025-03-01", "2025-03-05");

        var response = await DeployAsync(client, activity, expert, "lead_expert");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var history = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/deployments"));
        var team = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{action}/deployments"));
        var deployment = history.EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(deployment.GetProperty("role").GetString(), Is.EqualTo("lead_expert"));
            Assert.That(deployment.GetProperty("from").GetString(), Is.EqualTo("2025-03-01"));
            Assert.That(deployment.GetProperty("to").GetString(), Is.EqualTo("2025-03-05"));
            Assert.That(deployment.GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(deployment.GetProperty("action").GetProperty("themes")[0].GetString(), Is.EqualTo("irregular.trafficking"));
            Assert.That(deployment.GetProperty("action").GetProperty("beneficiaryCountries")[0].GetString(), Is.EqualTo("PE"));
            Assert.That(team.EnumerateArray().Single().GetProperty("expertId").GetGuid(), Is.EqualTo(expert));
        });
    }

    [Test]
    public async Task Overlapping_days_are_refused_naming_the_clashing_deployment()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().CreateApprovedAsync(client);
        var first = await AddActivityAsync(client, action, "2025-03-01", "2025-03-05");
        var second = await AddActivityAsync(client, action, "2025-03-05", "2025-03-08");
        var booked = await ReadJsonAsync(await DeployAsync(client, first, expert));

        var clash = await DeployAsync(client, second, expert);

        var problem = await AssertProblemAsync(clash, 409);
        Assert.That(problem.GetProperty("clashingDeployments")[0].GetProperty("id").GetGuid(), Is.EqualTo(booked.GetProperty("id").GetGuid()));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(booked.GetProperty("id").GetString()));
    }

    [Test]
    public async Task Two_concurrent_bookings_of_the_same_expert_and_days_succeed_once()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().CreateApprovedAsync(client);
        var activities = new[]
        {
            await AddActivityAsync(client, action, "2025-04-01", "2025-04-03"),
            await AddActivityAsync(client, action, "2025-04-02", "2025-04-04"),
        };

        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(activities.Select(activity => DeployAsync(AsAdmin(), activity, expert)));

            Assert.That(responses.Select(r => (int)r.StatusCode), Is.EquivalentTo(new[] { 201, 409 }));
            var winner = await ReadJsonAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Created));
            await PostJsonAsync(client, $"/api/v1/deployments/{winner.GetProperty("id").GetGuid()}/cancel", new { reason = "next round" });
        }
    }

    [Test]
    public async Task An_expert_is_not_deployed_during_a_declared_unavailability()
    {
        var client = AsAdmin();
        var expert = await AnExpert().UnavailableFrom("2025-03-04", "2025-03-20").CreateAsync(client);
        var action = await AnAction().CreateApprovedAsync(client);
        var activity = await AddActivityAsync(client, action, "2025-03-01", "2025-03-05");

        var problem = await AssertProblemAsync(await DeployAsync(client, activity, expert), 409);

        Assert.That(problem.GetProperty("errors").GetProperty("expertId")[0].GetString(), Does.Contain("2025-03-04"));
    }

    [Test]
    public async Task An_inactive_expert_is_not_deployed()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Inactive().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");

        await AssertProblemAsync(await DeployAsync(client, activity, expert), 409);
    }

    [Test]
    public async Task Nobody_is_deployed_on_an_action_that_is_not_approved()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().CreateAsync(client);
        var activity = await AddActivityAsync(client, action, "2025-03-01", "2025-03-05");

        await AssertProblemAsync(await DeployAsync(client, activity, expert), 409);
    }

    [Test]
    public async Task A_deployment_outside_its_activity_or_of_an_unknown_expert_is_refused()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");

        await AssertProblemAsync(await PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert, from = "2025-02-27", to = "2025-03-02" }), 409);
        await AssertProblemAsync(await DeployAsync(client, activity, Guid.NewGuid()), 404);
        await AssertProblemAsync(await DeployAsync(client, Guid.NewGuid(), expert), 404);
        await AssertValidationProblemAsync(await PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert, role = "boss" }), "role");
    }

    [Test]
    public async Task A_cancelled_deployment_stays_on_record_and_frees_its_days()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");
        var id = (await ReadJsonAsync(await DeployAsync(client, activity, expert))).GetProperty("id").GetGuid();

        var cancelled = await ReadJsonAsync(await PostJsonAsync(client, $"/api/v1/deployments/{id}/cancel", new { reason = "Illness" }));
        var again = await PostJsonAsync(client, $"/api/v1/deployments/{id}/cancel", new { reason = "twice" });
        var rebooked = await DeployAsync(client, activity, expert);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(cancelled.GetProperty("cancellation").GetProperty("reason").GetString(), Is.EqualTo("Illness"));
            Assert.That(rebooked.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        });
        await AssertProblemAsync(again, 409);
        var history = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/deployments"));
        Assert.That(history.EnumerateArray().Select(d => d.GetProperty("status").GetString()), Is.EquivalentTo(new[] { "cancelled", "active" }));
    }

    [Test]
    public async Task An_ended_deployment_is_evaluated_and_shows_its_evaluation()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");
        var id = (await ReadJsonAsync(await DeployAsync(client, activity, expert))).GetProperty("id").GetGuid();

        var response = await client.PutAsJsonAsync($"/api/v1/deployments/{id}/evaluation", new { rating = 4, recommendation = "redeploy", comment = "Very good" }, Json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var deployment = await ReadJsonAsync(await client.GetAsync($"/api/v1/deployments/{id}"));
        Assert.Multiple(() =>
        {
            Assert.That(deployment.GetProperty("evaluation").GetProperty("rating").GetInt32(), Is.EqualTo(4));
            Assert.That(deployment.GetProperty("evaluation").GetProperty("recommendation").GetString(), Is.EqualTo("redeploy"));
        });
    }

    [TestCase(0, "redeploy", "rating")]
    [TestCase(6, "redeploy", "rating")]
    [TestCase(3, "maybe", "recommendation")]
    public async Task A_bad_evaluation_is_named(int rating, string recommendation, string field)
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");
        var id = (await ReadJsonAsync(await DeployAsync(client, activity, expert))).GetProperty("id").GetGuid();

        var response = await client.PutAsJsonAsync($"/api/v1/deployments/{id}/evaluation", new { rating, recommendation }, Json);

        await AssertValidationProblemAsync(response, field);
    }

    [Test]
    public async Task A_deployment_that_has_not_ended_or_was_cancelled_is_not_evaluated()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().During("2025-01-01", "2099-12-31").CreateApprovedAsync(client);
        var future = await AddActivityAsync(client, action, "2099-03-01", "2099-03-05");
        var past = await AddActivityAsync(client, action, "2025-03-01", "2025-03-05");
        var upcoming = (await ReadJsonAsync(await DeployAsync(client, future, expert))).GetProperty("id").GetGuid();
        var cancelled = (await ReadJsonAsync(await DeployAsync(client, past, expert))).GetProperty("id").GetGuid();
        await PostJsonAsync(client, $"/api/v1/deployments/{cancelled}/cancel", new { });

        await AssertProblemAsync(await client.PutAsJsonAsync($"/api/v1/deployments/{upcoming}/evaluation", new { rating = 5, recommendation = "redeploy" }, Json), 409);
        await AssertProblemAsync(await client.PutAsJsonAsync($"/api/v1/deployments/{cancelled}/evaluation", new { rating = 5, recommendation = "redeploy" }, Json), 409);
    }

    [Test]
    public async Task A_deployed_expert_is_not_available_in_search_for_those_days()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), "2025-03-01", "2025-03-05");
        await DeployAsync(client, activity, expert);

        var busy = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?availableFrom=2025-03-05&availableTo=2025-03-09"));
        var free = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?availableFrom=2025-03-06&availableTo=2025-03-09"));

        Assert.That(busy.GetProperty("total").GetInt64(), Is.Zero);
        Assert.That(free.GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    private static Task<HttpResponseMessage> DeployAsync(HttpClient client, Guid activity, Guid expert, string role = "expert") =>
        PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert, role });
}
