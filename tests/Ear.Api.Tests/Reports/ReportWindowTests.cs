using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Reports;

/// <summary>
/// The edges of a window: a deployment belongs to the period its first day falls in, so one that starts the
/// day before a window and runs into it is not the window's, and one that starts on its last day is; an
/// expert deployed in and before a window counts once in it.
/// </summary>
public sealed class ReportWindowTests : ApiTest
{
    [Test]
    public async Task One_month_counts_the_deployments_starting_in_it_and_each_expert_once()
    {
        var client = AsAdmin();
        var twice = await AnExpert().Of("eu_civil_servant", "FR", "FR").Gender("female").CreateAsync(client);
        var intoMarch = await AnExpert().Of("eu_civil_servant", "NL", "NL").Gender("male").CreateAsync(client);
        var lastDay = await AnExpert().Of("south_civil_servant", "SN").Gender("female").CreateAsync(client);
        var action = await AnAction().During("2025-01-01", "2025-12-31").CreateApprovedAsync(client);
        var acrossTheStart = await AddActivityAsync(client, action, "2025-02-28", "2025-03-02");
        var inside = await AddActivityAsync(client, action, "2025-03-10", "2025-03-11");
        var acrossTheEnd = await AddActivityAsync(client, action, "2025-03-31", "2025-04-02");
        await DeployAsync(client, acrossTheStart, twice);
        await DeployAsync(client, inside, twice);
        await DeployAsync(client, acrossTheStart, intoMarch);
        await DeployAsync(client, acrossTheEnd, lastDay);

        var march = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2025-03-01&to=2025-03-31"));
        var february = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2025-02-01&to=2025-02-28"));
        var lastOfMarch = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2025-03-31&to=2025-03-31"));
        var states = (await ReadJsonAsync(await client.GetAsync("/api/v1/reports/member-states?from=2025-03-01&to=2025-03-31")))
            .EnumerateArray().ToDictionary(r => r.GetProperty("memberState").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(march.GetProperty("deployments").GetInt64(), Is.EqualTo(2));
            Assert.That(march.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(2));
            Assert.That(march.GetProperty("womenShareAmongDeployed").GetDouble(), Is.EqualTo(1.0));
            Assert.That(march.GetProperty("deployedByOrigin").GetProperty("south").GetInt64(), Is.EqualTo(1));
            Assert.That(march.GetProperty("deployedByMemberState").TryGetProperty("NL", out _), Is.False);
            Assert.That(february.GetProperty("deployments").GetInt64(), Is.EqualTo(2));
            Assert.That(february.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(2));
            Assert.That(february.GetProperty("deployedByMemberState").GetProperty("NL").GetInt64(), Is.EqualTo(1));
            Assert.That(lastOfMarch.GetProperty("deployments").GetInt64(), Is.EqualTo(1));
            Assert.That(lastOfMarch.GetProperty("southDeployedByNationality").GetProperty("SN").GetInt64(), Is.EqualTo(1));
            Assert.That(states["FR"].GetProperty("deploymentsInPeriod").GetInt64(), Is.EqualTo(1));
            Assert.That(states["NL"].GetProperty("deploymentsInPeriod").GetInt64(), Is.Zero);
            Assert.That(states["NL"].GetProperty("expertsEverDeployed").GetInt64(), Is.EqualTo(1));
            Assert.That(states["FR"].GetProperty("expertsEverDeployed").GetInt64(), Is.EqualTo(1));
        });
    }

    private static async Task DeployAsync(HttpClient client, Guid activity, Guid expert)
    {
        var response = await PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
    }
}
