using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.CvDocuments;

public sealed class HostileFileTests : ApiTest
{
    private static IEnumerable<HostileFile> Corpus() => HostileFiles.All();

    [TestCaseSource(nameof(Corpus))]
    public async Task A_hostile_file_is_refused_naming_what_was_found_stores_nothing_and_leaves_the_service_well(HostileFile hostile)
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);

        var problem = await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(hostile.Make(), hostile.FileName)), hostile.Status);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(hostile.DetailMentions).IgnoreCase);
        var versions = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}/cv/versions"));
        Assert.That(versions.GetArrayLength(), Is.Zero);
        var next = await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("Still here"), "cv.pdf"));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Created), await next.Content.ReadAsStringAsync());
        Assert.That(Directory.EnumerateFileSystemEntries(CvTempFiles.Folder), Is.Empty);
    }

    [Test]
    public async Task A_hostile_file_for_an_expert_the_key_may_not_see_gets_404_without_being_read()
    {
        var focalPoint = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        var deep = HostileFiles.All().First(f => f.FileName == "deep.docx").Make();

        var response = await focalPoint.PostAsync($"/api/v1/experts/{Guid.NewGuid()}/cv", Documents.Upload(deep, "deep.docx"));

        var problem = await AssertProblemAsync(response, 404);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("No such expert."));
    }

    [Test]
    public async Task A_pdf_that_opens_on_a_page_and_links_to_a_website_is_accepted()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var pdf = HostileFiles.RawPdf("<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
            "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://example.org) >> >>");

        var response = await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(pdf, "plain.pdf"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("Content-Disposition form-data; name=\"file\"; filename=\"cv.pdf\"", TestName = "A_multipart_part_header_without_a_colon_is_a_400_problem")]
    [TestCase("Content-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\nX-Padding: {0}", TestName = "A_multipart_part_header_longer_than_16_kB_is_a_400_problem")]
    public async Task Malformed_multipart_is_a_400_problem(string headers)
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var body = new ByteArrayContent(Encoding.ASCII.GetBytes($"--b\r\n{string.Format(CultureInfo.InvariantCulture, headers, new string('x', 20_000))}\r\n\r\n%PDF-1.7\r\n--b--\r\n"));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", body), 400);
    }
}
