using System.Net;
using System.Security.Cryptography;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.CvDocuments;

public sealed class CvUploadTests : ApiTest
{
    [Test]
    public async Task A_pdf_cv_is_stored_and_its_text_found_by_the_expert_search()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var pdf = Documents.Pdf("Curriculum vitae", "Specialist in readmission agreements and asylum procedures");

        var response = await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(pdf, "cv.pdf"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var version = await ReadJsonAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(version.GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(version.GetProperty("contentType").GetString(), Is.EqualTo("application/pdf"));
            Assert.That(version.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(pdf))));
            Assert.That(version.GetProperty("sizeBytes").GetInt64(), Is.EqualTo(pdf.Length));
            Assert.That(version.GetProperty("textStatus").GetString(), Is.EqualTo("extracted"));
        });
        var found = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=readmission"));
        Assert.That(found.GetProperty("items")[0].GetProperty("id").GetGuid(), Is.EqualTo(id));
    }

    [Test]
    public async Task A_docx_cv_is_stored_and_its_text_found_by_the_expert_search()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);

        var response = await client.PostAsync($"/api/v1/experts/{id}/cv",
            Documents.Upload(Documents.Docx("Experiencia en remesas", "Diáspora y desarrollo"), "cv.docx", "application/octet-stream"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(response)).GetProperty("contentType").GetString(), Does.Contain("wordprocessingml"));
        var found = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=remesas"));
        Assert.That(found.GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_bytes_again_make_no_new_version_and_new_bytes_do()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var first = Documents.Pdf("Version one");

        await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(first, "one.pdf"));
        var again = await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(first, "renamed.pdf"));
        var second = await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("Version two"), "two.pdf"));

        Assert.Multiple(async () =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ReadJsonAsync(again)).GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That((await ReadJsonAsync(second)).GetProperty("version").GetInt32(), Is.EqualTo(2));
        });
        var versions = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}/cv/versions"));
        Assert.That(versions.EnumerateArray().Select(v => v.GetProperty("fileName").GetString()), Is.EqualTo(new[] { "one.pdf", "two.pdf" }));
    }

    [Test]
    public async Task Downloads_carry_type_disposition_and_etag_and_return_the_exact_bytes()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var first = Documents.Pdf("First");
        var second = Documents.Pdf("Second");
        await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(first, "José García.pdf"));
        await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(second, "../../etc/passwd.pdf"));

        var latest = await client.GetAsync($"/api/v1/experts/{id}/cv?purpose=roster_management");
        var original = await client.GetAsync($"/api/v1/experts/{id}/cv/versions/1?purpose=roster_management");

        Assert.Multiple(async () =>
        {
            Assert.That(latest.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
            Assert.That(await latest.Content.ReadAsByteArrayAsync(), Is.EqualTo(second));
            Assert.That(latest.Headers.ETag?.Tag, Is.EqualTo($"\"{Convert.ToHexStringLower(SHA256.HashData(second))}\""));
            Assert.That(latest.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("passwd.pdf"));
            Assert.That(await original.Content.ReadAsByteArrayAsync(), Is.EqualTo(first));
            Assert.That(original.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
            Assert.That(original.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("José García.pdf"));
        });
        await AssertProblemAsync(await client.GetAsync($"/api/v1/experts/{id}/cv/versions/3?purpose=roster_management"), 404);
    }

    [Test]
    public async Task Another_type_renamed_pdf_is_refused_with_415()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };

        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(png, "cv.pdf")), 415);
        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload("plain text"u8.ToArray(), "cv.docx")), 415);
    }

    [Test]
    public async Task A_file_over_10_mb_is_refused_with_413()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var big = new byte[11 * 1024 * 1024];
        "%PDF-1.7\n"u8.CopyTo(big);

        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(big, "big.pdf")), 413);
    }

    [Test]
    public async Task A_zip_bomb_is_refused_with_422()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);

        var problem = await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.ZipBomb(), "cv.docx")), 422);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("expands"));
    }

    [Test]
    public async Task A_truncated_pdf_an_empty_file_and_a_corrupt_docx_are_refused_with_422_and_store_nothing()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var pdf = Documents.Pdf("Cut short");
        var docx = Documents.Docx("Broken");

        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(pdf[..(pdf.Length / 2)], "cut.pdf")), 422);
        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload([], "empty.pdf")), 422);
        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(docx[..(docx.Length - 200)], "cut.docx")), 422);

        var versions = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{id}/cv/versions"));
        Assert.That(versions.GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task An_upload_without_a_file_field_is_named()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        var form = new MultipartFormDataContent { { new StringContent("hello"), "note" } };

        await AssertValidationProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", form), "file");
        await AssertProblemAsync(await client.PostAsync($"/api/v1/experts/{id}/cv", new StringContent("x")), 415);
    }

    [Test]
    public async Task Erasing_the_expert_erases_every_version()
    {
        var client = AsAdmin();
        var id = await AnExpert().CreateAsync(client);
        await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("One"), "one.pdf"));
        await client.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("Two"), "two.pdf"));

        await client.DeleteAsync($"/api/v1/experts/{id}");

        await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM cv_documents", connection);
        Assert.That(await count.ExecuteScalarAsync(), Is.EqualTo(0L));
    }
}
