using System.Net;
using System.Text.RegularExpressions;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Foundation;

/// <summary>What every answer carries on the wire besides its body.</summary>
public sealed partial class WireTests : ApiTest
{
    [TestCase("br")]
    [TestCase("gzip")]
    public async Task Json_and_csv_answers_are_compressed_as_the_client_asks(string encoding)
    {
        using var admin = AsAdmin();
        for (var i = 0; i < 30; i++)
        {
            await AnExpert().CreateAsync(admin);
        }

        using var client = AsAdmin();
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd(encoding);
        var page = await client.GetAsync("/api/v1/experts?limit=30");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        var csv = await client.GetAsync("/api/v1/experts");

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Content.Headers.ContentEncoding, Is.EqualTo(new[] { encoding }));
            Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(csv.Content.Headers.ContentEncoding, Is.EqualTo(new[] { encoding }));
        });
    }

    [Test]
    public async Task Every_answer_to_a_key_states_its_budget_and_what_is_left_of_it()
    {
        using var reader = WithKey(await Keys.IssueAsync("reader"));

        var first = RateLimit(await reader.GetAsync("/api/v1/themes"));
        var second = RateLimit(await reader.GetAsync($"/api/v1/experts/{Guid.NewGuid()}"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Policy, Does.Match("^\"key\";q=\\d+;w=60$"));
            Assert.That(second.Remaining, Is.EqualTo(first.Remaining - 1).Or.GreaterThan(first.Remaining), "one fewer, unless a new minute began");
            Assert.That(second.Reset, Is.InRange(1, 60));
        });
    }

    private static (string Policy, int Remaining, int Reset) RateLimit(HttpResponseMessage response)
    {
        var policy = response.Headers.GetValues("RateLimit-Policy").Single();
        var match = RateLimitField().Match(response.Headers.GetValues("RateLimit").Single());
        Assert.That(match.Success, Is.True, response.Headers.ToString());
        return (policy, int.Parse(match.Groups["r"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["t"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^\"key\";r=(?<r>\\d+);t=(?<t>\\d+)$")]
    private static partial Regex RateLimitField();
}
