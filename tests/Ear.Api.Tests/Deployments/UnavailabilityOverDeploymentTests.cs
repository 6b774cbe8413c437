using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Deployments;

public sealed class UnavailabilityOverDeploymentTests : ApiTest
{
    [Test]
    public async Task Unavailability_over_a_live_deployment_is_refused_naming_the_period_and_the_deployment()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var deployment = await DeployAsync(client, expert, "2025-03-01", "2025-03-05");
        var etag = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;
        // Listed out of date order, so that the field named is the request's own index.
        var profile = AnExpert().UnavailableFrom("2025-03-04", "2025-03-20").UnavailableFrom("2025-01-01", "2025-01-10").Build();

        var problem = await AssertProblemAsync(await PutAsync(client, expert, profile, etag), 409);

        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "unavailability[0]" }));
            Assert.That(errors.GetProperty("unavailability[0]")[0].GetString(), Does.Contain(deployment.ToString()).And.Contain("2025-03-01"));
            Assert.That(problem.GetProperty("clashingDeployments")[0].GetProperty("id").GetGuid(), Is.EqualTo(deployment));
        });
        var unchanged = await client.GetAsync($"/api/v1/experts/{expert}");
        Assert.That(unchanged.Headers.ETag, Is.EqualTo(etag));
        Assert.That((await ReadJsonAsync(unchanged)).GetProperty("unavailability").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Unavailability_on_other_days_or_over_a_cancelled_deployment_is_accepted()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var deployment = await DeployAsync(client, expert, "2025-03-01", "2025-03-05");
        var etag = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;

        var beside = await PutAsync(client, expert, AnExpert().UnavailableFrom("2025-03-06", "2025-03-20").Build(), etag);
        await PostJsonAsync(client, $"/api/v1/deployments/{deployment}/cancel", new { reason = "postponed" });
        var over = await PutAsync(client, expert, AnExpert().UnavailableFrom("2025-02-20", "2025-03-20").Build(), beside.Headers.ETag!);

        Assert.That(beside.StatusCode, Is.EqualTo(HttpStatusCode.OK), await beside.Content.ReadAsStringAsync());
        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.OK), await over.Content.ReadAsStringAsync());
        var period = (await ReadJsonAsync(over)).GetProperty("unavailability")[0];
        Assert.That(period.GetProperty("from").GetString(), Is.EqualTo("2025-02-20"));
    }

    [Test]
    public async Task A_stale_update_is_412_even_when_its_unavailability_clashes()
    {
        var client = AsAdmin();
        var expert = await AnExpert().CreateAsync(client);
        var stale = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;
        await DeployAsync(client, expert, "2025-03-01", "2025-03-05");
        await PutAsync(client, expert, AnExpert().Named("Changed", "Meanwhile").Build(), stale);

        await AssertProblemAsync(await PutAsync(client, expert, AnExpert().UnavailableFrom("2025-03-01", "2025-03-01").Build(), stale), 412);
    }

    private static async Task<Guid> DeployAsync(HttpClient client, Guid expert, string from, string to)
    {
        var activity = await AddActivityAsync(client, await AnAction().CreateApprovedAsync(client), from, to);
        var response = await PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid id, object body, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }
}
