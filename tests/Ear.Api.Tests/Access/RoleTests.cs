using System.Net;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Access;

public sealed class RoleTests : ApiTest
{
    [Test]
    public async Task An_admin_issues_a_key_whose_secret_is_shown_once_and_works()
    {
        var admin = AsAdmin();

        var issued = await ReadJsonAsync(await PostJsonAsync(admin, "/api/v1/api-keys", new { name = "France focal point", role = "focal_point", memberState = "fr" }));
        var listing = await admin.GetStringAsync("/api/v1/api-keys");
        var secret = issued.GetProperty("secret").GetString()!;

        Assert.Multiple(async () =>
        {
            Assert.That(issued.GetProperty("key").GetProperty("memberState").GetString(), Is.EqualTo("FR"));
            Assert.That(listing, Does.Not.Contain(secret));
            Assert.That(listing, Does.Contain("France focal point"));
            Assert.That((await WithKey(secret).GetAsync("/api/v1/experts")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var admin = AsAdmin();
        var issued = await ReadJsonAsync(await PostJsonAsync(admin, "/api/v1/api-keys", new { name = "Temporary reader", role = "reader" }));
        var reader = WithKey(issued.GetProperty("secret").GetString()!);
        Assert.That((await reader.GetAsync("/api/v1/experts")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var revoked = await admin.DeleteAsync($"/api/v1/api-keys/{issued.GetProperty("key").GetProperty("id").GetGuid()}");

        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(await reader.GetAsync("/api/v1/experts"), 401);
    }

    [TestCase("focal_point", null, "memberState")]
    [TestCase("focal_point", "US", "memberState")]
    [TestCase("focal_point", "GB", "memberState")]
    [TestCase("reader", "FR", "memberState")]
    [TestCase("owner", null, "role")]
    public async Task A_bad_key_request_is_named(string role, string? memberState, string field)
    {
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), "/api/v1/api-keys", new { name = "x", role, memberState }), field);
    }

    [TestCase("reader")]
    [TestCase("focal_point")]
    public async Task Only_admins_manage_keys(string role)
    {
        var client = WithKey(await Keys.IssueAsync(role, role == "focal_point" ? "FR" : null));

        await AssertProblemAsync(await client.GetAsync("/api/v1/api-keys"), 403);
        await AssertProblemAsync(await PostJsonAsync(client, "/api/v1/api-keys", new { name = "mine", role = "admin" }), 403);
    }

    [Test]
    public async Task A_focal_point_maintains_experts_of_its_own_member_state()
    {
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));

        var own = await PostJsonAsync(focal, "/api/v1/experts", AnExpert().Of("eu_civil_servant", "PT", "PT").Build());
        var foreign = await PostJsonAsync(focal, "/api/v1/experts", AnExpert().Of("eu_civil_servant", "ES", "ES").Build());

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var problem = await AssertProblemAsync(foreign, 403);
        Assert.That(problem.GetProperty("errors").TryGetProperty("memberState", out _), Is.True);
    }

    [Test]
    public async Task A_focal_point_cannot_reach_another_member_states_expert_by_id_search_or_cv_url()
    {
        var admin = AsAdmin();
        var spanish = await AnExpert().Of("eu_civil_servant", "ES", "ES").Named("Lucía", "Fernández").CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{spanish}/cv", Documents.Upload(Documents.Pdf("CV"), "cv.pdf"));
        var portuguese = await AnExpert().Of("eu_civil_servant", "PT", "PT").CreateAsync(admin);
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        var etag = (await admin.GetAsync($"/api/v1/experts/{spanish}")).Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{spanish}") { Content = JsonContent.Create(AnExpert().Of("eu_civil_servant", "PT", "PT").Build(), options: Json) };
        update.Headers.IfMatch.Add(etag);

        await AssertProblemAsync(await focal.GetAsync($"/api/v1/experts/{spanish}"), 404);
        await AssertProblemAsync(await focal.SendAsync(update), 404);
        await AssertProblemAsync(await focal.DeleteAsync($"/api/v1/experts/{spanish}"), 404);
        await AssertProblemAsync(await focal.GetAsync($"/api/v1/experts/{spanish}/cv"), 404);
        await AssertProblemAsync(await focal.GetAsync($"/api/v1/experts/{spanish}/cv/versions/1"), 404);
        await AssertProblemAsync(await focal.PostAsync($"/api/v1/experts/{spanish}/cv", Documents.Upload(Documents.Pdf("Mine now"), "cv.pdf")), 404);
        await AssertProblemAsync(await focal.GetAsync($"/api/v1/experts/{spanish}/export"), 404);
        await AssertProblemAsync(await focal.GetAsync($"/api/v1/experts/{spanish}/deployments"), 404);
        var search = await ReadJsonAsync(await focal.GetAsync("/api/v1/experts?q=Fernández"));
        var all = await ReadJsonAsync(await focal.GetAsync("/api/v1/experts"));
        Assert.Multiple(() =>
        {
            Assert.That(search.GetProperty("total").GetInt64(), Is.Zero);
            Assert.That(all.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()), Is.EqualTo(new[] { portuguese }));
        });
        Assert.That((await admin.GetAsync($"/api/v1/experts/{spanish}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_reader_reads_the_roster_and_actions_but_writes_nothing_and_downloads_no_cv()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("CV"), "cv.pdf"));
        var action = await AnAction().CreateAsync(admin);
        var reader = WithKey(await Keys.IssueAsync("reader"));

        Assert.Multiple(async () =>
        {
            Assert.That((await reader.GetAsync($"/api/v1/actions/{action}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await reader.GetAsync($"/api/v1/actions/{action}/deployments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await reader.GetAsync($"/api/v1/experts/{expert}/deployments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        await AssertProblemAsync(await PostJsonAsync(reader, "/api/v1/actions", AnAction().Build()), 403);
        await AssertProblemAsync(await PostJsonAsync(reader, $"/api/v1/actions/{action}/status", new { to = "rejected" }), 403);
        await AssertProblemAsync(await reader.DeleteAsync($"/api/v1/experts/{expert}"), 403);
        await AssertProblemAsync(await reader.GetAsync($"/api/v1/experts/{expert}/cv"), 403);
        await AssertProblemAsync(await reader.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("x"), "x.pdf")), 403);
    }

    [Test]
    public async Task A_focal_point_does_not_write_actions_nor_see_teams()
    {
        var action = await AnAction().CreateAsync(AsAdmin());
        var focal = WithKey(await Keys.IssueAsync("focal_point", "FR"));

        await AssertProblemAsync(await PostJsonAsync(focal, "/api/v1/actions", AnAction().Build()), 403);
        await AssertProblemAsync(await focal.GetAsync($"/api/v1/actions/{action}/deployments"), 403);
    }
}
