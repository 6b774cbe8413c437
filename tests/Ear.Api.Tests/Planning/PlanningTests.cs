using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Planning;

public sealed class PlanningTests : ApiTest
{
    private static ExpertBuilder AStrongExpert() => AnExpert().Knowing("irregular.border-management", 3).Speaking("es", "native");

    private static async Task<Guid> AnApprovedActionAsync(HttpClient client) => await AnAction().During(Days.FromToday(20), Days.FromToday(200)).CreateApprovedAsync(client);

    private static Task<Guid> ActivityAsync(HttpClient client, Guid action, int from, int to, string type = "workshop") =>
        AddActivityAsync(client, action, Days.FromToday(from), Days.FromToday(to), type);

    private static async Task<JsonElement> PlanAsync(HttpClient client, Guid action, object body)
    {
        var response = await PostJsonAsync(client, $"/api/v1/actions/{action}/plan", body);
        var plan = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), plan.ToString());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/actions/{action}/plans/{plan.GetProperty("id").GetGuid()}"));
        return plan;
    }

    private static List<Guid> MembersOf(JsonElement plan, Guid activity) =>
        plan.GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("activityId").GetGuid() == activity)
            .GetProperty("members").EnumerateArray().Select(m => m.GetProperty("expertId").GetGuid()).ToList();

    [Test]
    public async Task A_plan_never_books_an_expert_twice_on_overlapping_days()
    {
        var client = AsAdmin();
        var experts = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            experts.Add(await AStrongExpert().CreateAsync(client));
        }

        var action = await AnApprovedActionAsync(client);
        var first = await ActivityAsync(client, action, 30, 34);
        var overlapping = await ActivityAsync(client, action, 32, 36);
        var later = await ActivityAsync(client, action, 60, 62);

        var plan = await PlanAsync(client, action, new
        {
            activities = new[] { new { activityId = first, size = 2 }, new { activityId = overlapping, size = 2 }, new { activityId = later, size = 2 } },
        });

        Assert.Multiple(() =>
        {
            Assert.That(plan.GetProperty("status").GetString(), Is.EqualTo("proposed"));
            Assert.That(plan.GetProperty("optimal").GetBoolean(), Is.True);
            Assert.That(plan.GetProperty("activities").EnumerateArray().All(a => a.GetProperty("staffed").GetBoolean()), Is.True, plan.ToString());
            Assert.That(MembersOf(plan, first).Intersect(MembersOf(plan, overlapping)), Is.Empty, "nobody on both overlapping activities");
            Assert.That(MembersOf(plan, first).Concat(MembersOf(plan, overlapping)).Distinct().Count(), Is.EqualTo(4));
            Assert.That(MembersOf(plan, later), Has.Count.EqualTo(2));
            Assert.That(plan.GetProperty("value").GetDouble(), Is.EqualTo(plan.GetProperty("bound").GetDouble()).Within(1e-9));
        });
    }

    /// <summary>
    /// The first activity needs a South expert, and the only one is a little behind an EU expert (a C1
    /// against a native Spanish speaker, less a South-South point for a South expert from outside the
    /// region): without a bonus the EU expert takes the second activity; with the default 0.05 the South
    /// expert staffs both.
    /// </summary>
    [Test]
    public async Task The_continuity_bonus_makes_the_same_expert_staff_two_activities_when_scores_are_close()
    {
        var client = AsAdmin();
        var south = await AnExpert().Of("south_civil_servant", "MA").Knowing("irregular.border-management", 3).OnlySpeaking("es", "C1").CreateAsync(client);
        var eu = await AnExpert().Knowing("irregular.border-management", 3).OnlySpeaking("es", "native").CreateAsync(client);
        var action = await AnApprovedActionAsync(client);
        var needsSouth = await ActivityAsync(client, action, 30, 34);
        var open = await ActivityAsync(client, action, 60, 62);
        object Request(double bonus) => new
        {
            activities = new object[] { new { activityId = needsSouth, size = 1, minSouth = 1 }, new { activityId = open, size = 1 } },
            continuityBonus = bonus,
        };

        var withoutBonus = await PlanAsync(client, action, Request(0));
        var withBonus = await PlanAsync(client, action, Request(0.05));

        var continuity = withBonus.GetProperty("continuity").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(MembersOf(withoutBonus, needsSouth), Is.EqualTo(new[] { south }));
            Assert.That(MembersOf(withoutBonus, open), Is.EqualTo(new[] { eu }));
            Assert.That(MembersOf(withBonus, needsSouth), Is.EqualTo(new[] { south }));
            Assert.That(MembersOf(withBonus, open), Is.EqualTo(new[] { south }));
            Assert.That(continuity.GetProperty("expertId").GetGuid(), Is.EqualTo(south));
            Assert.That(continuity.GetProperty("bonus").GetDouble(), Is.EqualTo(0.05).Within(1e-12));
            Assert.That(withBonus.GetProperty("optimal").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task Accepting_a_plan_books_every_deployment_once()
    {
        var client = AsAdmin();
        for (var i = 0; i < 4; i++)
        {
            await AStrongExpert().CreateAsync(client);
        }

        var action = await AnApprovedActionAsync(client);
        await ActivityAsync(client, action, 30, 34, "training");
        await ActivityAsync(client, action, 60, 61, "study_visit");
        var plan = await PlanAsync(client, action, new { });
        var planId = plan.GetProperty("id").GetGuid();

        var response = await client.PostAsync($"/api/v1/actions/{action}/plans/{planId}/accept", null);
        var accepted = await ReadJsonAsync(response);
        var again = await client.PostAsync($"/api/v1/actions/{action}/plans/{planId}/accept", null);
        var deployments = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{action}/deployments"));

        var members = accepted.GetProperty("activities").EnumerateArray().SelectMany(a => a.GetProperty("members").EnumerateArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), accepted.ToString());
            Assert.That(accepted.GetProperty("status").GetString(), Is.EqualTo("accepted"));
            Assert.That(members, Has.Count.EqualTo(5), "training 3 and study visit 2 by default");
            Assert.That(deployments.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()),
                Is.EquivalentTo(members.Select(m => m.GetProperty("deploymentId").GetGuid())));
            Assert.That(deployments.EnumerateArray().Select(d => (d.GetProperty("expertId").GetGuid(), d.GetProperty("activity").GetProperty("id").GetGuid())),
                Is.EquivalentTo(accepted.GetProperty("activities").EnumerateArray().SelectMany(a => a.GetProperty("members").EnumerateArray()
                    .Select(m => (m.GetProperty("expertId").GetGuid(), a.GetProperty("activityId").GetGuid())))));
        });
        await AssertProblemAsync(again, 409);
    }

    [Test]
    public async Task A_clash_found_when_accepting_books_nothing_and_names_the_expert_and_the_deployment()
    {
        var client = AsAdmin();
        for (var i = 0; i < 4; i++)
        {
            await AStrongExpert().CreateAsync(client);
        }

        var action = await AnApprovedActionAsync(client);
        await ActivityAsync(client, action, 30, 34);
        var last = await ActivityAsync(client, action, 60, 64);
        var plan = await PlanAsync(client, action, new { });
        var taken = MembersOf(plan, last)[0];
        var elsewhere = await AnApprovedActionAsync(client);
        var booked = await DeployOnNewActivityAsync(client, elsewhere, taken, 63, 65);

        var response = await client.PostAsync($"/api/v1/actions/{action}/plans/{plan.GetProperty("id").GetGuid()}/accept", null);

        var problem = await AssertProblemAsync(response, 409);
        var deployments = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{action}/deployments"));
        var stored = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{action}/plans/{plan.GetProperty("id").GetGuid()}"));
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("expertId").GetGuid(), Is.EqualTo(taken));
            Assert.That(problem.GetProperty("activityId").GetGuid(), Is.EqualTo(last));
            Assert.That(problem.GetProperty("clashingDeployments")[0].GetProperty("id").GetGuid(), Is.EqualTo(booked));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(booked.ToString()));
            Assert.That(deployments.GetArrayLength(), Is.Zero, "the first activity's deployments were rolled back too");
            Assert.That(stored.GetProperty("status").GetString(), Is.EqualTo("proposed"));
        });
    }

    [Test]
    public async Task An_expert_made_unavailable_after_the_plan_refuses_the_whole_plan()
    {
        var client = AsAdmin();
        var expert = await AStrongExpert().CreateAsync(client);
        var action = await AnApprovedActionAsync(client);
        var activity = await ActivityAsync(client, action, 30, 34);
        var plan = await PlanAsync(client, action, new { activities = new[] { new { activityId = activity, size = 1 } } });
        var etag = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{expert}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(AStrongExpert().UnavailableFrom(Days.FromToday(33), Days.FromToday(40)).Build(), options: Json),
        };
        update.Headers.IfMatch.Add(etag);
        Assert.That((await client.SendAsync(update)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var problem = await AssertProblemAsync(await client.PostAsync($"/api/v1/actions/{action}/plans/{plan.GetProperty("id").GetGuid()}/accept", null), 409);

        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("title").GetString(), Does.Contain("unavailable"));
            Assert.That(problem.GetProperty("expertId").GetGuid(), Is.EqualTo(expert));
        });
    }

    [Test]
    public async Task The_plan_is_readable_back_and_listed_by_admins_and_readers_who_may_not_plan_or_accept()
    {
        var client = AsAdmin();
        await AStrongExpert().CreateAsync(client);
        var action = await AnApprovedActionAsync(client);
        var activity = await ActivityAsync(client, action, 30, 34);
        var plan = await PlanAsync(client, action, new { activities = new[] { new { activityId = activity, size = 1 } }, timeLimitSeconds = 5 });
        var planId = plan.GetProperty("id").GetGuid();
        var reader = WithKey(await Keys.IssueAsync("reader"));

        var read = await ReadJsonAsync(await reader.GetAsync($"/api/v1/actions/{action}/plans/{planId}"));
        var list = await ReadJsonAsync(await reader.GetAsync($"/api/v1/actions/{action}/plans"));

        Assert.Multiple(() =>
        {
            Assert.That(read.ToString(), Is.EqualTo(plan.ToString()));
            Assert.That(read.GetProperty("settings").GetProperty("timeLimitSeconds").GetDouble(), Is.EqualTo(5));
            Assert.That(read.GetProperty("settings").GetProperty("continuityBonus").GetDouble(), Is.EqualTo(0.05));
            Assert.That(list.EnumerateArray().Single().GetProperty("id").GetGuid(), Is.EqualTo(planId));
            Assert.That(list[0].GetProperty("activitiesStaffed").GetInt32(), Is.EqualTo(1));
        });
        await AssertProblemAsync(await PostJsonAsync(reader, $"/api/v1/actions/{action}/plan", new { }), 403);
        await AssertProblemAsync(await reader.PostAsync($"/api/v1/actions/{action}/plans/{planId}/accept", null), 403);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/actions/{action}/plans/{Guid.NewGuid()}"), 404);
        await AssertProblemAsync(await client.GetAsync($"/api/v1/actions/{Guid.NewGuid()}/plans"), 404);
    }

    [Test]
    public async Task Every_bad_field_of_a_plan_request_is_named()
    {
        var client = AsAdmin();
        var action = await AnApprovedActionAsync(client);
        var activity = await ActivityAsync(client, action, 30, 34);

        var response = await PostJsonAsync(client, $"/api/v1/actions/{action}/plan", new
        {
            activities = new object[]
            {
                new { activityId = Guid.NewGuid() },
                new { activityId = activity, size = 9, minEu = -1, maxPerCountry = 0 },
                new { activityId = activity },
            },
            continuityBonus = 2,
            maxActivitiesPerExpert = 0,
            timeLimitSeconds = 31,
        });

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[]
        {
            "activities[0].activityId", "activities[1].size", "activities[1].minEu", "activities[1].maxPerCountry", "activities[2].activityId",
            "continuityBonus", "maxActivitiesPerExpert", "timeLimitSeconds",
        }));
    }

    [Test]
    public async Task A_plan_for_an_action_not_yet_approved_is_made_but_accepting_it_is_a_conflict()
    {
        var client = AsAdmin();
        await AStrongExpert().CreateAsync(client);
        await AStrongExpert().CreateAsync(client);
        var action = await AnAction().During(Days.FromToday(20), Days.FromToday(200)).CreateAsync(client);
        await ActivityAsync(client, action, 30, 34, "study_visit");
        var plan = await PlanAsync(client, action, new { });

        var problem = await AssertProblemAsync(await client.PostAsync($"/api/v1/actions/{action}/plans/{plan.GetProperty("id").GetGuid()}/accept", null), 409);

        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("requested"));
    }

    [Test]
    public async Task An_activity_no_one_can_staff_says_which_constraint_and_an_action_with_nothing_to_plan_is_a_conflict()
    {
        var client = AsAdmin();
        await AStrongExpert().CreateAsync(client);
        var action = await AnApprovedActionAsync(client);
        var activity = await ActivityAsync(client, action, 30, 34);
        var empty = await AnApprovedActionAsync(client);

        var plan = await PlanAsync(client, action, new { activities = new[] { new { activityId = activity, size = 2, minSouth = 1 } } });

        var outcome = plan.GetProperty("activities")[0];
        Assert.Multiple(() =>
        {
            Assert.That(outcome.GetProperty("staffed").GetBoolean(), Is.False);
            Assert.That(outcome.GetProperty("unmet").EnumerateArray().Select(u => u.GetString()), Has.Some.StartsWith("size").And.Some.StartsWith("minSouth"));
        });
        await AssertProblemAsync(await PostJsonAsync(client, $"/api/v1/actions/{empty}/plan", new { }), 409);
    }
}
