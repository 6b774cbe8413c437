using System.Net;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;

namespace Ear.Api.Tests.Actions;

public sealed class ActionWorkflowTests : ApiTest
{
    [TestCase("in_preparation")]
    [TestCase("rejected")]
    [TestCase("transferred")]
    [TestCase("in_preparation", "approved")]
    [TestCase("in_preparation", "rejected")]
    [TestCase("in_preparation", "transferred")]
    [TestCase("in_preparation", "approved", "in_implementation")]
    [TestCase("in_preparation", "approved", "in_implementation", "completed")]
    public async Task Every_legal_path_is_followed_and_recorded(params string[] path)
    {
        var client = AsAdmin();
        var id = await AnAction().CreateAsync(client);

        foreach (var to in path)
        {
            var response = await PostJsonAsync(client, $"/api/v1/actions/{id}/status", new { to, note = $"to {to}" });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        var action = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{id}"));
        var history = action.GetProperty("statusHistory").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(action.GetProperty("status").GetString(), Is.EqualTo(path[^1]));
            Assert.That(history.Select(h => h.GetProperty("to").GetString()), Is.EqualTo(path.Prepend("requested")));
            Assert.That(history[^1].GetProperty("note").GetString(), Is.EqualTo($"to {path[^1]}"));
            Assert.That(history[^1].GetProperty("changedBy").GetString(), Is.Not.Null);
            Assert.That(history[^1].GetProperty("from").GetString(), Is.EqualTo(path.Length > 1 ? path[^2] : "requested"));
        });
    }

    [TestCase(new string[0], "approved", "in_preparation,rejected,transferred")]
    [TestCase(new string[0], "completed", "in_preparation,rejected,transferred")]
    [TestCase(new[] { "in_preparation" }, "in_implementation", "approved,rejected,transferred")]
    [TestCase(new[] { "in_preparation", "approved" }, "rejected", "in_implementation")]
    [TestCase(new[] { "in_preparation", "approved" }, "transferred", "in_implementation")]
    [TestCase(new[] { "in_preparation", "approved", "in_implementation" }, "approved", "completed")]
    [TestCase(new[] { "in_preparation", "approved", "in_implementation", "completed" }, "in_implementation", "")]
    [TestCase(new[] { "rejected" }, "in_preparation", "")]
    [TestCase(new[] { "transferred" }, "requested", "")]
    public async Task An_illegal_transition_is_409_naming_the_allowed_ones(string[] before, string to, string allowed)
    {
        var client = AsAdmin();
        var id = await AnAction().CreateAsync(client);
        foreach (var step in before)
        {
            await PostJsonAsync(client, $"/api/v1/actions/{id}/status", new { to = step });
        }

        var response = await PostJsonAsync(client, $"/api/v1/actions/{id}/status", new { to });

        var problem = await AssertProblemAsync(response, 409);
        var expected = allowed.Length == 0 ? [] : allowed.Split(',');
        Assert.That(problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(expected));
        var action = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{id}"));
        Assert.That(action.GetProperty("statusHistory").GetArrayLength(), Is.EqualTo(before.Length + 1));
    }

    [Test]
    public async Task An_unknown_status_is_400_naming_to()
    {
        var client = AsAdmin();
        var id = await AnAction().CreateAsync(client);

        await AssertValidationProblemAsync(await PostJsonAsync(client, $"/api/v1/actions/{id}/status", new { to = "finished" }), "to");
    }

    [Test]
    public async Task Transitions_of_a_missing_action_are_404()
    {
        await AssertProblemAsync(await PostJsonAsync(AsAdmin(), $"/api/v1/actions/{Guid.NewGuid()}/status", new { to = "in_preparation" }), 404);
    }

    [Test]
    public async Task Two_concurrent_transitions_from_the_same_status_apply_once()
    {
        var client = AsAdmin();
        var id = await AnAction().CreateAsync(client);

        var responses = await Task.WhenAll(
            PostJsonAsync(AsAdmin(), $"/api/v1/actions/{id}/status", new { to = "rejected" }),
            PostJsonAsync(AsAdmin(), $"/api/v1/actions/{id}/status", new { to = "transferred" }));

        Assert.That(responses.Select(r => (int)r.StatusCode), Is.EquivalentTo(new[] { 200, 409 }));
    }
}
