using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

/// <summary>A focal point learns nothing about an expert of another member state, not even that it exists.</summary>
public sealed class FocalPointDisclosureTests : ApiTest
{
    private const string ImportHeader = "id,givenName,familyName,email,gender,nationality,kind,memberState";

    [Test]
    public async Task Every_request_about_another_member_states_expert_is_answered_exactly_as_for_an_absent_one()
    {
        var admin = AsAdmin();
        var spanish = await AnExpert().Of("eu_civil_servant", "ES", "ES").CreateAsync(admin);
        // Even a deployment in progress, which makes an erasure 409 for those who may see the expert, stays hidden.
        var action = await AnAction().During(Days.FromToday(-30), Days.FromToday(30)).CreateApprovedAsync(admin);
        var activity = await AddActivityAsync(admin, action, Days.FromToday(-2), Days.FromToday(2));
        await PostJsonAsync(admin, $"/api/v1/activities/{activity}/deployments", new { expertId = spanish });
        var etag = (await admin.GetAsync($"/api/v1/experts/{spanish}")).Headers.ETag!;
        var absent = Guid.CreateVersion7();
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        var profile = AnExpert().Of("eu_civil_servant", "PT", "PT").UnavailableFrom(Days.FromToday(0), Days.FromToday(0)).Build();

        foreach (var (name, send) in new (string, Func<Guid, Task<HttpResponseMessage>>)[]
        {
            ("GET", id => focal.GetAsync($"/api/v1/experts/{id}")),
            ("PUT", id => focal.SendAsync(Put(id, profile, etag))),
            ("DELETE", id => focal.DeleteAsync($"/api/v1/experts/{id}")),
            ("export", id => focal.GetAsync($"/api/v1/experts/{id}/export")),
            ("deployments", id => focal.GetAsync($"/api/v1/experts/{id}/deployments")),
        })
        {
            var outOfScope = await DescribeAsync(await send(spanish), spanish);
            var missing = await DescribeAsync(await send(absent), absent);

            Assert.That(outOfScope, Is.EqualTo(missing), name);
            Assert.That(outOfScope, Does.StartWith("404 application/problem+json"), name);
        }

        Assert.That((await admin.GetAsync($"/api/v1/experts/{spanish}")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }

    [Test]
    public async Task A_focal_points_import_answers_another_member_states_expert_id_as_an_unknown_id()
    {
        var spanish = await AnExpert().Of("eu_civil_servant", "ES", "ES").CreateAsync(AsAdmin());
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));

        var outOfScope = await ImportAsync(focal, $"{spanish},Ana,Silva,ana.silva@example.pt,female,PT,eu_civil_servant,PT");
        var unknown = await ImportAsync(focal, $"{Guid.CreateVersion7()},Ana,Silva,ana.silva@example.pt,female,PT,eu_civil_servant,PT");

        var problem = await AssertValidationProblemAsync(outOfScope, "rows[1].id");
        Assert.That(await DescribeAsync(outOfScope, spanish), Is.EqualTo(await DescribeAsync(unknown, Guid.Empty)));
        Assert.That(problem.GetProperty("errors").GetProperty("rows[1].id")[0].GetString(), Does.Contain("leave id empty"));
        var mine = await ReadJsonAsync(await focal.GetAsync("/api/v1/experts"));
        Assert.That(mine.GetProperty("total").GetInt64(), Is.Zero, "nothing was imported");
    }

    [Test]
    public async Task A_focal_point_gets_one_answer_for_a_taken_email_whoever_holds_it()
    {
        var admin = AsAdmin();
        var spanish = await AnExpert().Of("eu_civil_servant", "ES", "ES").WithEmail("lucia@example.es").CreateAsync(admin);
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        await AnExpert().Of("eu_civil_servant", "PT", "PT").WithEmail("joao@example.pt").CreateAsync(focal);
        var mine = await AnExpert().Of("eu_civil_servant", "PT", "PT").CreateAsync(focal);
        var etag = (await focal.GetAsync($"/api/v1/experts/{mine}")).Headers.ETag!;

        var othersAddress = await PostJsonAsync(focal, "/api/v1/experts", AnExpert().Of("eu_civil_servant", "PT", "PT").WithEmail("LUCIA@example.es").Build());
        var ownAddress = await PostJsonAsync(focal, "/api/v1/experts", AnExpert().Of("eu_civil_servant", "PT", "PT").WithEmail("JOAO@example.pt").Build());
        var updated = await focal.SendAsync(Put(mine, AnExpert().Of("eu_civil_servant", "PT", "PT").WithEmail("lucia@example.es").Build(), etag));

        var problem = await AssertProblemAsync(othersAddress, 409);
        var described = await DescribeAsync(othersAddress, Guid.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").GetProperty("email")[0].GetString(), Does.Contain("cannot be given to this expert"));
            Assert.That(described, Does.Not.Contain(spanish.ToString()).And.Not.Contain("ES").And.Not.Contain("lucia"));
        });
        Assert.That(described, Is.EqualTo(await DescribeAsync(ownAddress, Guid.Empty)));
        Assert.That(await DescribeAsync(updated, Guid.Empty), Is.EqualTo(described));
    }

    [Test]
    public async Task A_focal_points_import_gets_one_answer_for_a_taken_email_whoever_holds_it()
    {
        var admin = AsAdmin();
        await AnExpert().Of("eu_civil_servant", "ES", "ES").WithEmail("lucia@example.es").CreateAsync(admin);
        await AnExpert().Of("eu_civil_servant", "PT", "PT").WithEmail("joao@example.pt").CreateAsync(admin);
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));

        var othersAddress = await ImportAsync(focal, ",Ana,Silva,lucia@example.es,female,PT,eu_civil_servant,PT");
        var ownAddress = await ImportAsync(focal, ",Ana,Silva,joao@example.pt,female,PT,eu_civil_servant,PT");

        await AssertValidationProblemAsync(othersAddress, "rows[1].email");
        Assert.That(await DescribeAsync(othersAddress, Guid.Empty), Is.EqualTo(await DescribeAsync(ownAddress, Guid.Empty)));
    }

    [Test]
    public async Task An_admin_is_told_which_expert_holds_a_taken_email()
    {
        var admin = AsAdmin();
        var spanish = await AnExpert().Of("eu_civil_servant", "ES", "ES").WithEmail("lucia@example.es").CreateAsync(admin);

        var created = await PostJsonAsync(admin, "/api/v1/experts", AnExpert().WithEmail("Lucia@Example.es").Build());
        var imported = await ImportAsync(admin, ",Ana,Silva,lucia@example.es,female,PT,eu_civil_servant,PT");

        var problem = await AssertProblemAsync(created, 409);
        var importProblem = await AssertValidationProblemAsync(imported, "rows[1].email");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").GetProperty("email")[0].GetString(), Does.Contain(spanish.ToString()));
            Assert.That(importProblem.GetProperty("errors").GetProperty("rows[1].email")[0].GetString(), Does.Contain(spanish.ToString()));
        });
    }

    /// <summary>Status, media type and body, with the trace id left out and the requested id written as {id}.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, Guid requested)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        var text = body.ToJsonString();
        if (requested != Guid.Empty)
        {
            text = text.Replace(requested.ToString(), "{id}", StringComparison.OrdinalIgnoreCase);
        }

        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text}";
    }

    private static HttpRequestMessage Put(Guid id, object body, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.IfMatch.Add(etag);
        return request;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string row) =>
        client.PostAsync("/api/v1/experts/import", new StringContent($"{ImportHeader}\n{row}\n", Encoding.UTF8, "text/csv"));
}
