using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

public sealed class ExpertProfileTests : ApiTest
{
    [Test]
    public async Task A_created_expert_reads_back_with_its_derived_origin_and_an_etag()
    {
        var client = AsAdmin();
        var body = AnExpert().Named("Marie", "Curie").WithEmail("Marie.Curie@example.org").Speaking("en", "C1")
            .ExperiencedIn("pe", "BO").UnavailableFrom("2027-03-01", "2027-03-10").Build();

        var created = await PostJsonAsync(client, "/api/v1/experts", body);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetGuid();
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/experts/{id}"));

        var read = await client.GetAsync($"/api/v1/experts/{id}");
        var expert = await ReadJsonAsync(read);
        Assert.Multiple(() =>
        {
            Assert.That(read.Headers.ETag, Is.Not.Null);
            Assert.That(expert.GetProperty("givenName").GetString(), Is.EqualTo("Marie"));
            Assert.That(expert.GetProperty("email").GetString(), Is.EqualTo("Marie.Curie@example.org"));
            Assert.That(expert.GetProperty("origin").GetString(), Is.EqualTo("eu"));
            Assert.That(expert.GetProperty("memberState").GetString(), Is.EqualTo("FR"));
            Assert.That(expert.GetProperty("countriesOfExperience").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "BO", "PE" }));
            Assert.That(expert.GetProperty("languages").GetArrayLength(), Is.EqualTo(2));
            Assert.That(expert.GetProperty("unavailability")[0].GetProperty("to").GetString(), Is.EqualTo("2027-03-10"));
            Assert.That(expert.GetProperty("consent").GetProperty("recordedBy").GetString(), Is.EqualTo("MIEUX team"));
            Assert.That(expert.GetProperty("status").GetString(), Is.EqualTo("active"));
        });
    }

    [TestCase("south_civil_servant", "south")]
    [TestCase("academic", "other")]
    [TestCase("eu_agency", "other")]
    public async Task Origin_follows_from_kind(string kind, string origin)
    {
        var client = AsAdmin();
        var id = await AnExpert().Of(kind, "SN").CreateAsync(client);

        var expert = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}"));

        Assert.That(expert.GetProperty("origin").GetString(), Is.EqualTo(origin));
    }

    [TestCase("givenName", "")]
    [TestCase("familyName", null)]
    [TestCase("email", "not-an-address")]
    [TestCase("gender", "unknown")]
    [TestCase("nationality", "XX")]
    [TestCase("kind", "astronaut")]
    [TestCase("memberState", "US")]
    [TestCase("phone", "call me maybe")]
    [TestCase("status", "retired")]
    public async Task An_invalid_field_is_refused_with_its_name(string field, string? value)
    {
        var response = await PostJsonAsync(AsAdmin(), "/api/v1/experts", AnExpert().With(field, value).Build());

        await AssertValidationProblemAsync(response, field);
    }

    [Test]
    public async Task Over_long_text_is_refused_with_the_field_name()
    {
        var response = await PostJsonAsync(AsAdmin(), "/api/v1/experts", AnExpert().With("bio", new string('x', 5001)).Build());

        await AssertValidationProblemAsync(response, "bio");
    }

    [Test]
    public async Task An_eu_civil_servant_needs_a_member_state()
    {
        var response = await PostJsonAsync(AsAdmin(), "/api/v1/experts", AnExpert().Of("eu_civil_servant", "FR", null).Build());

        await AssertValidationProblemAsync(response, "memberState");
    }

    [Test]
    public async Task Unknown_language_theme_and_level_are_each_named()
    {
        var body = AnExpert()
            .With("languages", new[] { new { code = "xx", level = "C1" }, new { code = "en", level = "C3" } })
            .With("themes", new[] { new { code = "irregular.nonsense", level = 2 }, new { code = "legal", level = 4 } })
            .With("countriesOfExperience", new[] { "PE", "ZZ" })
            .Build();

        var problem = await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/experts", body), "languages[0].code");

        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "languages[1].level", "themes[0].code", "themes[1].level", "countriesOfExperience[1]" }));
    }

    [Test]
    public async Task Reversed_and_overlapping_unavailability_is_refused()
    {
        var reversed = AnExpert().UnavailableFrom("2027-05-10", "2027-05-01").Build();
        var overlapping = AnExpert().UnavailableFrom("2027-05-01", "2027-05-10").UnavailableFrom("2027-05-10", "2027-05-20").Build();

        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/experts", reversed), "unavailability[0]");
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/experts", overlapping), "unavailability[1]");
    }

    [Test]
    public async Task Malformed_json_is_answered_with_the_failing_field()
    {
        var content = new StringContent("""{"givenName": "A", "themes": [{"code": "legal", "level": "high"}]}""", System.Text.Encoding.UTF8, "application/json");

        var response = await AsAdmin().PostAsync("/api/v1/experts", content);

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Single().Name, Does.Contain("themes[0].level"));
    }

    [Test]
    public async Task A_duplicate_email_in_another_case_is_a_conflict_naming_email()
    {
        var client = AsAdmin();
        await AnExpert().WithEmail("same@example.org").CreateAsync(client);

        var response = await PostJsonAsync(client, "/api/v1/experts", AnExpert().WithEmail("SAME@Example.org").Build());

        var problem = await AssertProblemAsync(response, 409);
        Assert.That(problem.GetProperty("errors").TryGetProperty("email", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Nothing_invalid_is_stored()
    {
        var client = AsAdmin();
        await PostJsonAsync(client, "/api/v1/experts", AnExpert().With("nationality", "XX").Build());

        var page = await ReadJsonAsync(await client.GetAsync("/api/v1/experts"));

        Assert.That(page.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task An_update_without_if_match_gets_428()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);

        var response = await client.PutAsJsonAsync($"/api/v1/experts/{id}", AnExpert().Build(), Json);

        await AssertProblemAsync(response, 428);
    }

    [Test]
    public async Task An_update_with_the_current_etag_succeeds_and_a_stale_one_gets_412()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var etag = (await client.GetAsync($"/api/v1/experts/{id}")).Headers.ETag!;

        var first = await PutAsync(client, id, AnExpert().Named("Renamed", "Once").Build(), etag);
        var second = await PutAsync(client, id, AnExpert().Named("Renamed", "Twice").Build(), etag);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(first.Headers.ETag, Is.Not.EqualTo(etag));
        await AssertProblemAsync(second, 412);
        var expert = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}"));
        Assert.That(expert.GetProperty("familyName").GetString(), Is.EqualTo("Once"));
    }

    [Test]
    public async Task Two_concurrent_updates_of_the_same_version_never_both_succeed()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var etag = (await client.GetAsync($"/api/v1/experts/{id}")).Headers.ETag!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            PutAsync(AsAdmin(), id, AnExpert().Named("Writer", $"Number{i}").Build(), etag)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Count(s => s == 200), Is.EqualTo(1), string.Join(",", statuses));
            Assert.That(statuses.Count(s => s == 412), Is.EqualTo(7), string.Join(",", statuses));
        });
    }

    [Test]
    public async Task A_missing_expert_is_404_problem_json()
    {
        await AssertProblemAsync(await AsAdmin().GetAsync($"/api/v1/experts/{Guid.NewGuid()}"), 404);
    }

    [Test]
    public async Task A_reader_sees_profiles_without_email_and_phone_and_cannot_write()
    {
        var id = await AnExpert().CreateAsync(AsAdmin());
        var reader = WithKey(await Keys.IssueAsync("reader"));

        var expert = await ReadJsonAsync(await reader.GetAsync($"/api/v1/experts/{id}"));
        var write = await PostJsonAsync(reader, "/api/v1/experts", AnExpert().Build());

        Assert.Multiple(async () =>
        {
            Assert.That(expert.TryGetProperty("email", out _), Is.False);
            Assert.That(expert.TryGetProperty("phone", out _), Is.False);
            Assert.That(expert.GetProperty("familyName").GetString(), Is.Not.Empty);
            await AssertProblemAsync(write, 403);
        });
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid id, object body, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.IfMatch.Add(etag);
        return client.SendAsync(request);
    }
}
