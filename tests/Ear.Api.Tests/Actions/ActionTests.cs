using System.Net;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;

namespace Ear.Api.Tests.Actions;

public sealed class ActionTests : ApiTest
{
    [Test]
    public async Task A_new_action_is_requested_with_its_region_derived_from_the_countries()
    {
        var client = AsAdmin();
        var response = await PostJsonAsync(client, "/api/v1/actions", AnAction().With("code", "mieux-2027-04").With("beneficiaryCountries", new[] { "sn", "ML" }).Build());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var action = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(action.GetProperty("code").GetString(), Is.EqualTo("MIEUX-2027-04"));
            Assert.That(action.GetProperty("status").GetString(), Is.EqualTo("requested"));
            Assert.That(action.GetProperty("region").GetString(), Is.EqualTo("africa.west"));
            Assert.That(action.GetProperty("beneficiaryCountries").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "ML", "SN" }));
            Assert.That(action.GetProperty("allowedTransitions").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "in_preparation", "rejected", "transferred" }));
            Assert.That(action.GetProperty("period").GetProperty("to").GetString(), Is.EqualTo("2025-12-31"));
        });
    }

    [TestCase("code", "no spaces please")]
    [TestCase("title", "")]
    [TestCase("region", "atlantis")]
    public async Task An_invalid_field_is_named(string field, string value)
    {
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/actions", AnAction().With(field, value).Build()), field);
    }

    [Test]
    public async Task Unknown_codes_in_lists_are_named_by_position()
    {
        var body = AnAction().With("beneficiaryCountries", new[] { "PE", "QQ" }).With("themes", new[] { "legal", "made.up" })
            .With("workingLanguages", new[] { "zz" }).Build();

        var problem = await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/actions", body), "beneficiaryCountries[1]");

        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[] { "themes[1]", "workingLanguages[0]" }));
    }

    [Test]
    public async Task An_action_needs_a_beneficiary_country_or_a_regional_organisation()
    {
        var client = AsAdmin();
        await AssertValidationProblemAsync(await PostJsonAsync(client, "/api/v1/actions", AnAction().With("beneficiaryCountries", Array.Empty<string>()).Build()), "beneficiaryCountries");

        var regional = await PostJsonAsync(client, "/api/v1/actions", AnAction().With("beneficiaryCountries", Array.Empty<string>())
            .With("regionalOrganisation", "ECOWAS").With("region", "africa.west").Build());
        Assert.That(regional.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task A_reversed_period_is_refused()
    {
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/actions", AnAction().During("2025-05-01", "2025-04-01").Build()), "period.to");
    }

    [Test]
    public async Task A_duplicate_code_is_a_conflict_naming_code()
    {
        var client = AsAdmin();
        await AnAction().With("code", "DUP-001").CreateAsync(client);

        var problem = await AssertProblemAsync(await PostJsonAsync(client, "/api/v1/actions", AnAction().With("code", "dup-001").Build()), 409);

        Assert.That(problem.GetProperty("errors").TryGetProperty("code", out _), Is.True);
    }

    [Test]
    public async Task An_update_needs_the_current_etag_and_keeps_the_status()
    {
        var client = AsAdmin();
        var id = await AnAction().CreateAsync(client);
        await PostJsonAsync(client, $"/api/v1/actions/{id}/status", new { to = "in_preparation" });
        var etag = (await client.GetAsync($"/api/v1/actions/{id}")).Headers.ETag!;

        var without = await client.PutAsJsonAsync($"/api/v1/actions/{id}", AnAction().Build(), Json);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/actions/{id}") { Content = JsonContent.Create(AnAction().With("title", "Renamed").Build(), options: Json) };
        request.Headers.IfMatch.Add(etag);
        var with = await client.SendAsync(request);

        await AssertProblemAsync(without, 428);
        var action = await ReadJsonAsync(with);
        Assert.Multiple(() =>
        {
            Assert.That(action.GetProperty("title").GetString(), Is.EqualTo("Renamed"));
            Assert.That(action.GetProperty("status").GetString(), Is.EqualTo("in_preparation"));
        });
    }

    [Test]
    public async Task The_list_filters_by_status_region_country_theme_and_period()
    {
        var client = AsAdmin();
        var peru = await AnAction().With("beneficiaryCountries", new[] { "PE" }).With("themes", new[] { "irregular.trafficking" }).During("2012-01-01", "2013-06-30").CreateAsync(client);
        var senegal = await AnAction().With("beneficiaryCountries", new[] { "SN" }).With("themes", new[] { "legal.labour-migration" }).During("2014-03-01", null).CreateAsync(client);
        var later = await AnAction().With("beneficiaryCountries", new[] { "MA" }).With("themes", new[] { "legal" }).During("2020-01-01", "2020-12-31").CreateAsync(client);
        await PostJsonAsync(client, $"/api/v1/actions/{peru}/status", new { to = "rejected" });

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "status=rejected"), Is.EquivalentTo(new[] { peru }));
            Assert.That(await IdsAsync(client, "region=africa.west"), Is.EquivalentTo(new[] { senegal }));
            Assert.That(await IdsAsync(client, "country=MA"), Is.EquivalentTo(new[] { later }));
            Assert.That(await IdsAsync(client, "theme=legal"), Is.EquivalentTo(new[] { senegal, later }));
            Assert.That(await IdsAsync(client, "from=2009-01-01&to=2015-12-31"), Is.EquivalentTo(new[] { peru, senegal }));
            Assert.That(await IdsAsync(client, "from=2019-06-01"), Is.EquivalentTo(new[] { senegal, later }));
        });
        await AssertValidationProblemAsync(await client.GetAsync("/api/v1/actions?status=done"), "status");
        await AssertValidationProblemAsync(await client.GetAsync("/api/v1/actions?from=2015"), "from");
    }

    [Test]
    public async Task Activities_must_lie_inside_the_action_period()
    {
        var client = AsAdmin();
        var id = await AnAction().During("2025-01-01", "2025-06-30").CreateAsync(client);

        await AddActivityAsync(client, id, "2025-02-01", "2025-02-03");
        var outside = await PostJsonAsync(client, $"/api/v1/actions/{id}/activities", new { type = "workshop", title = "Late", from = "2025-06-29", to = "2025-07-02", country = "PE" });
        var badType = await PostJsonAsync(client, $"/api/v1/actions/{id}/activities", new { type = "party", title = "x", from = "2025-02-01", to = "2025-02-01", country = "PE" });
        var remote = await PostJsonAsync(client, $"/api/v1/actions/{id}/activities", new { type = "remote_support", title = "Remote", from = "2025-03-01", to = "2025-03-01" });

        await AssertProblemAsync(outside, 409);
        await AssertValidationProblemAsync(badType, "type");
        Assert.That(remote.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var activities = await ReadJsonAsync(await client.GetAsync($"/api/v1/actions/{id}/activities"));
        Assert.That(activities.GetArrayLength(), Is.EqualTo(2));
        Assert.That(activities[1].GetProperty("remote").GetBoolean(), Is.True);
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/actions?{query}&limit=200");
        var page = await ReadJsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), page.ToString());
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }
}
