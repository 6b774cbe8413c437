using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

public sealed class ExpertCsvTests : ApiTest
{
    private const string Header = "givenName,familyName,email,gender,nationality,kind,memberState,languages,themes";

    [Test]
    public async Task Export_then_import_into_an_empty_roster_gives_the_same_profiles()
    {
        var client = AsAdmin();
        await AnExpert().Named("Zoë", "O'Brien, Jr.").With("bio", "Line one\nline \"two\"").Speaking("en", "C2")
            .ExperiencedIn("PE", "BO").UnavailableFrom("2027-01-01", "2027-01-31").CreateAsync(client);
        await AnExpert().Of("south_civil_servant", "SN").WithoutConsent().With("phone", null).Inactive().CreateAsync(client);
        await AnExpert().Of("academic", "BE").Knowing("development.diaspora", 2).CreateAsync(client);
        var before = await AllProfilesAsync(client);

        var csv = await ExportAsync(client);
        await TestEnvironment.ResetAsync();
        var imported = await ImportAsync(client, csv);

        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(imported)).GetProperty("imported").GetInt32(), Is.EqualTo(3));
        Assert.That(await AllProfilesAsync(client), Is.EqualTo(before));
    }

    [Test]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text_and_imported_back_as_they_were()
    {
        var client = AsAdmin();
        await AnExpert().Named("=HYPERLINK(\"http://evil.example\",\"CV\")", "@SUM(A1)").With("phone", "+33 1 23 45 67 89")
            .With("bio", "-2+3 is how I start").CreateAsync(client);
        var before = await AllProfilesAsync(client);

        var csv = await ExportAsync(client);

        var row = csv.Split('\n')[1];
        Assert.Multiple(() =>
        {
            Assert.That(row, Does.Contain("'=HYPERLINK(").And.Contain("'@SUM(A1)").And.Contain("'+33 1 23 45 67 89").And.Contain("'-2+3 is how I start"));
            Assert.That(row, Does.Not.Match("(^|,)\"?[=@+-]"), "no cell starts with a formula character");
        });

        await TestEnvironment.ResetAsync();
        Assert.That((await ImportAsync(client, csv)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await AllProfilesAsync(client), Is.EqualTo(before));
    }

    [Test]
    public async Task An_import_with_one_bad_row_stores_nothing_and_names_every_bad_row()
    {
        var client = AsAdmin();
        var csv = $"""
            {Header}
            Ana,Silva,ana@example.org,female,PT,eu_civil_servant,PT,pt:native,legal.labour-migration:3
            Bo,Berg,not-an-email,male,SE,eu_civil_servant,SE,sv:native,legal:2
            Cy,Ng,cy@example.org,other,XX,academic,,en:C9,legal:2
            Di,Dee,ANA@example.org,female,FR,eu_civil_servant,FR,fr:native,legal:1
            """;

        var response = await ImportAsync(client, csv);

        var problem = await AssertProblemAsync(response, 400);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(fields, Is.EquivalentTo(new[] { "rows[2].email", "rows[3].nationality", "rows[3].languages[0].level", "rows[4].email" }));
        var page = await ReadJsonAsync(await client.GetAsync("/api/v1/experts"));
        Assert.That(page.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task An_import_refuses_emails_already_on_the_roster()
    {
        var client = AsAdmin();
        await AnExpert().WithEmail("taken@example.org").CreateAsync(client);

        var response = await ImportAsync(client, $"{Header}\nT,Aken,Taken@Example.org,male,FR,eu_civil_servant,FR,fr:native,legal:1\n");

        await AssertValidationProblemAsync(response, "rows[1].email");
    }

    [TestCase("", "body")]
    [TestCase("givenName,familyName\nA,B\n", "header")]
    [TestCase("givenName,familyName,email,gender,nationality,kind,shoeSize\n", "header")]
    [TestCase(Header + "\n", "body")]
    [TestCase(Header + "\nA,\"unclosed,a@b.org,female,FR,academic,,,\n", "rows[1]")]
    public async Task A_malformed_file_is_refused_with_what_is_wrong(string csv, string field)
    {
        await AssertValidationProblemAsync(await ImportAsync(AsAdmin(), csv), field);
    }

    [Test]
    public async Task An_import_declared_as_another_type_gets_415()
    {
        var content = new StringContent("{}", Encoding.UTF8, "application/json");

        await AssertProblemAsync(await AsAdmin().PostAsync("/api/v1/experts/import", content), 415);
    }

    [Test]
    public async Task A_reader_exports_without_email_and_phone()
    {
        await AnExpert().WithEmail("hidden@example.org").CreateAsync(AsAdmin());

        var csv = await ExportAsync(WithKey(await Keys.IssueAsync("reader")));

        Assert.Multiple(() =>
        {
            Assert.That(csv, Does.StartWith("id,givenName,familyName,email,phone,"));
            Assert.That(csv, Does.Not.Contain("hidden@example.org"));
            Assert.That(csv, Does.Not.Contain("+33"));
        });
    }

    private static async Task<string> ExportAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(request);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv) =>
        client.PostAsync("/api/v1/experts/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    /// <summary>Every profile as JSON without the timestamps an import sets anew.</summary>
    private static async Task<List<string>> AllProfilesAsync(HttpClient client)
    {
        var page = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?limit=200"));
        return page.GetProperty("items").EnumerateArray().Select(expert =>
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(expert.GetRawText())!;
            fields.Remove("createdAt");
            fields.Remove("updatedAt");
            // An import confirms the profile when it adds it, as a creation does.
            fields.Remove("confirmedAt");
            return JsonSerializer.Serialize(fields);
        }).ToList();
    }
}
