using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Access;

public sealed class AuditTests : ApiTest
{
    [Test]
    public async Task Writes_downloads_exports_erasures_and_refusals_are_audited_with_key_role_target_and_outcome()
    {
        var admin = AsAdmin();
        var id = await AnExpert().Of("eu_civil_servant", "ES", "ES").CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("CV"), "cv.pdf"));
        await admin.GetAsync($"/api/v1/experts/{id}/cv?purpose=roster_management");
        await admin.GetAsync($"/api/v1/experts/{id}/export");
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));
        await focal.DeleteAsync($"/api/v1/experts/{id}");
        var reader = WithKey(await Keys.IssueAsync("reader"));
        await reader.DeleteAsync($"/api/v1/experts/{id}");
        await admin.DeleteAsync($"/api/v1/experts/{id}");

        var entries = await EntriesAsync(admin, $"targetId={id}");

        var actions = entries.Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("outcome").GetString()}:{e.GetProperty("role").GetString()}").Reverse().ToList();
        Assert.That(actions, Is.EqualTo(new[]
        {
            "CreateExpert:succeeded:admin", "UploadCv:succeeded:admin", "DownloadCv:succeeded:admin", "ExportExpertData:succeeded:admin",
            "EraseExpert:failed:focal_point", "EraseExpert:refused:reader", "EraseExpert:succeeded:admin",
        }));
        Assert.That(entries.All(e => e.GetProperty("keyId").ValueKind == JsonValueKind.String), Is.True);
    }

    [Test]
    public async Task A_request_without_a_valid_key_is_audited_as_refused()
    {
        await WithKey("ear_forged").PostAsync("/api/v1/experts", new StringContent("{}"));

        var entries = await EntriesAsync(AsAdmin(), "");

        Assert.That(entries.Any(e => e.GetProperty("statusCode").GetInt32() == 401 && e.GetProperty("outcome").GetString() == "refused"), Is.True);
    }

    [Test]
    public async Task The_audit_filters_by_key_and_cannot_be_changed()
    {
        var admin = AsAdmin();
        var readerKey = await Keys.IssueAsync("reader");
        await WithKey(readerKey).DeleteAsync($"/api/v1/experts/{Guid.NewGuid()}");
        await AnExpert().CreateAsync(admin);
        var keys = await ReadJsonAsync(await admin.GetAsync("/api/v1/api-keys"));
        var readerId = keys.EnumerateArray().Single(k => k.GetProperty("role").GetString() == "reader").GetProperty("id").GetGuid();

        var entries = await EntriesAsync(admin, $"keyId={readerId}");

        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "EraseExpert" }));
        Assert.That((await admin.DeleteAsync("/api/v1/audit")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        await AssertProblemAsync(await WithKey(readerKey).GetAsync("/api/v1/audit"), 403);
        await AssertValidationProblemAsync(await admin.GetAsync("/api/v1/audit?from=yesterday"), "from");
    }

    [Test]
    public async Task A_matching_query_is_a_read_and_not_audited_while_a_stored_matching_run_is()
    {
        var admin = AsAdmin();
        var action = await AnAction().During("2027-03-01", "2027-03-10").CreateAsync(admin);
        var query = new { themes = new[] { new { code = "irregular" } }, period = new { from = "2027-03-01", to = "2027-03-10" } };

        Assert.That((await PostJsonAsync(admin, "/api/v1/matching", query)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await PostJsonAsync(admin, $"/api/v1/actions/{action}/matching", new { })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var actions = (await EntriesAsync(admin, "")).Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(actions, Does.Contain("MatchExpertsForAction"));
            Assert.That(actions, Does.Not.Contain("MatchExperts"));
        });
    }

    private static async Task<List<JsonElement>> EntriesAsync(HttpClient admin, string query)
    {
        var page = await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?{query}"));
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}

[NonParallelizable]
public sealed class RateLimitTests
{
    private const string AdminKey = "ear_rate-admin-key-0123456789abcdefghijklmnopq";

    [Test]
    public async Task A_key_past_its_limit_gets_429_with_retry_after_and_other_keys_go_on()
    {
        await using var database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        await using var factory = new EarApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["Ear:RateLimit:PermitsPerMinute"] = "3",
        });
        var admin = factory.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await RateLimitWindows.WaitForRoomInTheMinuteAsync();
        var issued = await admin.PostAsync("/api/v1/api-keys", System.Net.Http.Json.JsonContent.Create(new { name = "other", role = "reader" }));
        var other = factory.CreateValidatedClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString());

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 3; i++)
        {
            last = await admin.GetAsync("/api/v1/themes");
            statuses.Add(last.StatusCode);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            Assert.That(last.Headers.RetryAfter, Is.Not.Null);
            Assert.That(last.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await other.GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
