using System.Net;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

/// <summary>
/// The service's "today" is the real clock's UTC date, so these deployments lie days or weeks away from
/// it on either side: what is past, in progress or to come does not change during a run.
/// </summary>
public sealed class ExpertErasureOfDeployedExpertsTests : ApiTest
{
    [Test]
    public async Task Erasure_cancels_the_deployments_to_come_lists_them_and_keeps_the_past_ones()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(client);
        var past = await DeployOnNewActivityAsync(client, action, expert, -40, -36);
        var later = await DeployOnNewActivityAsync(client, action, expert, 60, 62);
        var next = await DeployOnNewActivityAsync(client, action, expert, 30, 34);

        var response = await client.DeleteAsync($"/api/v1/experts/{expert}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("erased").GetGuid(), Is.EqualTo(expert));
            Assert.That(answer.GetProperty("cancelledDeployments").EnumerateArray().Select(d => d.GetGuid()), Is.EqualTo(new[] { next, later }));
        });
        var team = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{action}/deployments"));
        var byId = team.EnumerateArray().ToDictionary(d => d.GetProperty("id").GetGuid());
        Assert.Multiple(() =>
        {
            Assert.That(byId[past].GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(byId[next].GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(byId[next].GetProperty("cancellation").GetProperty("reason").GetString(), Is.EqualTo("expert erased"));
            Assert.That(byId[later].GetProperty("cancellation").GetProperty("reason").GetString(), Is.EqualTo("expert erased"));
        });
    }

    [Test]
    public async Task Erasure_during_a_deployment_in_progress_is_refused_naming_it_and_changes_nothing()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Named("Ingrid", "Halvorsen").CreateAsync(client);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(client);
        var ongoing = await DeployOnNewActivityAsync(client, action, expert, -2, 2);
        var coming = await DeployOnNewActivityAsync(client, action, expert, 30, 34);

        var problem = await AssertProblemAsync(await client.DeleteAsync($"/api/v1/experts/{expert}"), 409);

        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("The expert is on a deployment in progress."));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(ongoing.ToString()).And.Contain("Cancel it"));
            Assert.That(problem.GetProperty("deploymentsInProgress").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()), Is.EqualTo(new[] { ongoing }));
            Assert.That(problem.GetProperty("deploymentsInProgress")[0].GetProperty("from").GetString(), Is.EqualTo(Days.FromToday(-2)));
        });
        var profile = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}"));
        var stillComing = await ReadJsonAsync(await client.GetAsync($"/api/v1/deployments/{coming}"));
        Assert.Multiple(() =>
        {
            Assert.That(profile.GetProperty("familyName").GetString(), Is.EqualTo("Halvorsen"));
            Assert.That(stillComing.GetProperty("status").GetString(), Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task Once_the_deployment_in_progress_is_cancelled_the_expert_is_erased()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(client);
        var ongoing = await DeployOnNewActivityAsync(client, action, expert, -2, 2);
        await AssertProblemAsync(await client.DeleteAsync($"/api/v1/experts/{expert}"), 409);

        await PostJsonAsync(client, $"/api/v1/deployments/{ongoing}/cancel", new { reason = "called home" });
        var response = await client.DeleteAsync($"/api/v1/experts/{expert}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("cancelledDeployments").GetArrayLength(), Is.Zero);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/experts/{expert}"), 404);
    }

    [Test]
    public async Task A_focal_point_erasing_its_own_expert_gets_the_same_answers()
    {
        var admin = AsAdmin();
        var focal = WithKey(await Keys.IssueAsync("focal_point", "FR"));
        var expert = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(focal);
        var action = await AnAction().During(Days.FromToday(-400), Days.FromToday(400)).CreateApprovedAsync(admin);
        var ongoing = await DeployOnNewActivityAsync(admin, action, expert, -2, 2);
        var coming = await DeployOnNewActivityAsync(admin, action, expert, 30, 34);

        var refused = await AssertProblemAsync(await focal.DeleteAsync($"/api/v1/experts/{expert}"), 409);
        await PostJsonAsync(admin, $"/api/v1/deployments/{ongoing}/cancel", new { });
        var erased = await focal.DeleteAsync($"/api/v1/experts/{expert}");

        Assert.That(refused.GetProperty("deploymentsInProgress")[0].GetProperty("id").GetGuid(), Is.EqualTo(ongoing));
        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK), await erased.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(erased)).GetProperty("cancelledDeployments")[0].GetGuid(), Is.EqualTo(coming));
    }
}
