using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Foundation;

/// <summary>A client that sends back the ETag it holds gets 304 and no body until the resource changes.</summary>
public sealed class ConditionalGetTests : ApiTest
{
    [Test]
    public async Task An_unchanged_expert_is_304_without_a_body_and_a_changed_one_is_sent_again()
    {
        using var admin = AsAdmin();
        var id = await AnExpert().CreateAsync(admin);
        var first = await admin.GetAsync($"/api/v1/experts/{id}");
        var etag = first.Headers.ETag!;

        var unchanged = await GetIfNoneMatchAsync(admin, $"/api/v1/experts/{id}", etag);
        using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}")
        {
            Content = JsonContent.Create(AnExpert().Named("Other", "Name").Build(), options: Json),
        };
        update.Headers.IfMatch.Add(etag);
        Assert.That((await admin.SendAsync(update)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var changed = await GetIfNoneMatchAsync(admin, $"/api/v1/experts/{id}", etag);

        Assert.Multiple(async () =>
        {
            Assert.That(unchanged.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await unchanged.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(unchanged.Headers.ETag, Is.EqualTo(etag));
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(changed.Headers.ETag, Is.Not.EqualTo(etag));
        });
    }

    [Test]
    public async Task An_unchanged_action_is_304()
    {
        using var admin = AsAdmin();
        var id = await AnAction().CreateAsync(admin);
        var etag = (await admin.GetAsync($"/api/v1/actions/{id}")).Headers.ETag!;

        Assert.That((await GetIfNoneMatchAsync(admin, $"/api/v1/actions/{id}", etag)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task A_cv_already_held_is_304_and_another_version_is_sent()
    {
        using var admin = AsAdmin();
        var id = await AnExpert().CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("First CV"), "cv.pdf"));
        var etag = (await admin.GetAsync($"/api/v1/experts/{id}/cv?purpose=roster_management")).Headers.ETag!;

        var unchanged = await GetIfNoneMatchAsync(admin, $"/api/v1/experts/{id}/cv?purpose=roster_management", etag);
        await admin.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("Second CV"), "cv.pdf"));
        var replaced = await GetIfNoneMatchAsync(admin, $"/api/v1/experts/{id}/cv?purpose=roster_management", etag);

        Assert.Multiple(() =>
        {
            Assert.That(unchanged.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase("/api/v1/themes")]
    [TestCase("/api/v1/countries")]
    [TestCase("/api/v1/regions")]
    [TestCase("/api/v1/languages")]
    public async Task Reference_data_may_be_kept_by_the_client_for_an_hour_and_revalidated(string url)
    {
        using var reader = WithKey(await Keys.IssueAsync("reader"));
        var first = await reader.GetAsync(url);

        var again = await GetIfNoneMatchAsync(reader, url, first.Headers.ETag!);

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.CacheControl?.Private, Is.True);
            Assert.That(first.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        });
    }

    [Test]
    public async Task Head_on_a_cv_gives_its_headers_without_the_file()
    {
        using var admin = AsAdmin();
        var id = await AnExpert().CreateAsync(admin);
        var pdf = Documents.Pdf("A CV");
        await admin.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(pdf, "cv.pdf"));
        var download = await admin.GetAsync($"/api/v1/experts/{id}/cv?purpose=roster_management");

        var head = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/experts/{id}/cv"));
        var version = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/experts/{id}/cv/versions/1"));
        var none = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/experts/{id}/cv/versions/2"));

        Assert.Multiple(async () =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(pdf.Length));
            Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
            Assert.That(head.Headers.ETag, Is.EqualTo(download.Headers.ETag));
            Assert.That(head.Content.Headers.ContentDisposition?.FileName, Is.EqualTo(download.Content.Headers.ContentDisposition?.FileName));
            Assert.That(version.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Another_etag_gets_the_full_answer()
    {
        using var admin = AsAdmin();
        var id = await AnExpert().CreateAsync(admin);

        var response = await GetIfNoneMatchAsync(admin, $"/api/v1/experts/{id}", new EntityTagHeaderValue("\"999\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static Task<HttpResponseMessage> GetIfNoneMatchAsync(HttpClient client, string url, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request);
    }
}
