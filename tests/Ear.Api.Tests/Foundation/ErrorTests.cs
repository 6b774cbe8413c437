using Ear.Api.Tests;
using System.Net;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

public sealed class ErrorTests : ApiTest
{
    [Test]
    public async Task An_unknown_route_answers_404_problem_json()
    {
        var response = await AsAdmin().GetAsync("/api/v1/no-such-thing");

        await AssertProblemAsync(response, 404);
    }

    [Test]
    public async Task Liveness_answers_without_touching_the_database()
    {
        var response = await Anonymous().GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response)).GetProperty("status").GetString(), Is.EqualTo("live"));
    }
}
