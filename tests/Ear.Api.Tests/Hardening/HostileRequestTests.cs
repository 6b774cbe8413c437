using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Hardening;

/// <summary>What a careless script or a hostile client sends: each gets a 4xx problem that names what is wrong.</summary>
public sealed class HostileRequestTests : ApiTest
{
    [TestCase("text/csv")]
    [TestCase("application/pdf")]
    [TestCase("text/html")]
    [TestCase("application/xml")]
    public async Task A_request_without_a_valid_key_gets_401_problem_json_whatever_it_accepts(string accept)
    {
        using var client = WithKey("ear_not-a-key-at-all");
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);

        var problem = await AssertProblemAsync(await client.GetAsync("/api/v1/experts"), 401);

        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("An API key is required."));
    }

    [Test]
    public async Task A_revoked_key_asking_for_csv_gets_401_problem_json_and_the_refusal_is_audited()
    {
        using var admin = AsAdmin();
        var issued = await ReadJsonAsync(await PostJsonAsync(admin, "/api/v1/api-keys", new { name = "script", role = "reader" }));
        var keyId = issued.GetProperty("key").GetProperty("id").GetString();
        Assert.That((await admin.DeleteAsync($"/api/v1/api-keys/{keyId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var revoked = WithKey(issued.GetProperty("secret").GetString()!);
        revoked.DefaultRequestHeaders.Accept.ParseAdd("text/csv");

        await AssertProblemAsync(await revoked.GetAsync("/api/v1/experts"), 401);

        var refusals = await AuditRowsAsync("outcome = 'refused' AND status_code = 401");
        Assert.That(refusals, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_reader_asking_for_a_cv_file_gets_403_problem_json()
    {
        using var admin = AsAdmin();
        var expert = await AnExpert().CreateAsync(admin);
        using var reader = WithKey(await Keys.IssueAsync("reader"));
        reader.DefaultRequestHeaders.Accept.ParseAdd("application/pdf");

        await AssertProblemAsync(await reader.GetAsync($"/api/v1/experts/{expert}/cv"), 403);
    }

    [Test]
    public async Task An_unknown_property_is_refused_and_named()
    {
        using var admin = AsAdmin();
        var body = AnExpert().With("langauges", Array.Empty<object>()).Build();

        var problem = await AssertValidationProblemAsync(await PostJsonAsync(admin, "/api/v1/experts", body), "langauges");

        Assert.That(problem.GetProperty("errors").GetProperty("langauges")[0].GetString(), Does.StartWith("Unknown property"));
    }

    [Test]
    public async Task A_property_given_twice_is_refused_and_named()
    {
        using var admin = AsAdmin();
        var json = System.Text.Json.JsonSerializer.Serialize(AnExpert().Build(), Json);
        json = "{\"familyName\":\"Other\"," + json[1..];

        var problem = await AssertValidationProblemAsync(
            await admin.PostAsync("/api/v1/experts", new StringContent(json, Encoding.UTF8, "application/json")), "familyName");

        Assert.That(problem.GetProperty("errors").GetProperty("familyName")[0].GetString(), Does.Contain("more than once"));
    }

    [Test]
    public async Task A_post_without_a_body_is_a_400_problem()
    {
        using var admin = AsAdmin();

        var response = await admin.PostAsync("/api/v1/experts", new StringContent("", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, 400);
    }

    [TestCase("q", "mig%00ration")]
    [TestCase("nationality", "%00")]
    public async Task A_nul_character_in_the_query_is_refused_and_named(string field, string value)
    {
        using var admin = AsAdmin();

        await AssertValidationProblemAsync(await admin.GetAsync($"/api/v1/experts?{field}={value}"), field);
    }

    [TestCase("0002-01-01", "0002-12-31")]
    [TestCase("9999-12-30", "9999-12-31")]
    public async Task A_matching_period_outside_the_calendar_the_service_computes_with_is_refused_and_named(string from, string to)
    {
        using var admin = AsAdmin();
        var body = new { themes = new[] { new { code = "legal", weight = 1.0 } }, beneficiaryCountries = new[] { "MA" }, period = new { from, to } };

        await AssertValidationProblemAsync(await PostJsonAsync(admin, "/api/v1/matching", body), "period.from");
    }

    [Test]
    public async Task The_audit_reads_a_period_with_any_utc_offset()
    {
        using var admin = AsAdmin();
        await admin.DeleteAsync($"/api/v1/experts/{Guid.NewGuid()}");

        var response = await admin.GetAsync("/api/v1/audit?from=" + Uri.EscapeDataString("2000-01-01T00:00:00+05:00") + "&to=" + Uri.EscapeDataString("2999-01-01T00:00:00-03:00"));

        var page = await ReadJsonAsync(response);
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Every_answer_carries_the_security_headers_and_personal_data_is_not_stored_by_caches()
    {
        using var admin = AsAdmin();
        var expert = await AnExpert().CreateAsync(admin);

        foreach (var response in new[] { await admin.GetAsync($"/api/v1/experts/{expert}"), await Anonymous().GetAsync("/api/v1/experts") })
        {
            Assert.Multiple(() =>
            {
                Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }), response.RequestMessage!.RequestUri!.ToString());
                Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
                Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            });
        }
    }

    [Test]
    public async Task Every_bulk_read_of_the_roster_is_audited_with_its_filter_and_without_the_words_searched()
    {
        await AnExpert().Named("Ana", "Pereira").CreateAsync(AsAdmin());
        using var reader = WithKey(await Keys.IssueAsync("reader"));
        using var csv = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        csv.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        Assert.That((await reader.GetAsync("/api/v1/experts?q=Pereira&nationality=PT")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await csv.GetAsync("/api/v1/experts?kind=eu_civil_servant")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var filters = (await AuditRowsAsync("action = 'SearchExperts'")).Select(r => (string?)r.filter).ToList();
        Assert.That(filters, Is.EquivalentTo(new[] { "q=(7 characters withheld)&nationality=PT", "kind=eu_civil_servant" }));
    }

    [Test]
    public async Task The_csv_export_operation_answers_what_accept_text_csv_answers_whatever_accept_says_and_is_audited_with_its_filter()
    {
        await AnExpert().Named("Ana", "Pereira").Of("eu_civil_servant", "PT", "PT").CreateAsync(AsAdmin());
        using var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        using var negotiated = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts?kind=eu_civil_servant&q=Pereira");
        negotiated.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var dedicated = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts.csv?kind=eu_civil_servant&q=Pereira");
        dedicated.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var viaAccept = await (await focal.SendAsync(negotiated)).Content.ReadAsStringAsync();
        using var export = await focal.SendAsync(dedicated);
        var exported = await export.Content.ReadAsStringAsync();
        var badFilter = await focal.GetAsync("/api/v1/experts.csv?minLevel=C1");

        Assert.Multiple(async () =>
        {
            Assert.That(export.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(export.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(exported, Is.EqualTo(viaAccept).And.Contain("Pereira"));
            await AssertValidationProblemAsync(badFilter, "minLevel");
        });
        var rows = await AuditRowsAsync("action = 'ExportExpertsCsv' AND filter LIKE 'kind=%'");
        Assert.That(rows.Select(r => $"{r.path} {r.filter}"), Is.EqualTo(new[] { "/api/v1/experts.csv kind=eu_civil_servant&q=(7 characters withheld)" }));
    }

    private static async Task<List<dynamic>> AuditRowsAsync(string where)
    {
        // Entries are written after the answer has gone out: give the last one a moment to land.
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
            var rows = (await connection.QueryAsync($"SELECT path, filter, occurrences FROM audit_entries WHERE {where} ORDER BY id")).ToList();
            if (rows.Count > 0 || attempt == 20)
            {
                return rows;
            }

            await Task.Delay(50);
        }
    }
}
