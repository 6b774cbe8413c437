using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Consent;

/// <summary>Each purpose's effect, seen through the public API: matching, search and CV download (issue #17, decision 0022).</summary>
public sealed class ConsentPurposeTests : ApiTest
{
    private static object Match(params Guid[] explain) => new
    {
        themes = new[] { new { code = "irregular", weight = 1.0 } },
        beneficiaryCountries = new[] { "PE" },
        languages = new[] { new { code = "es", minLevel = "B2", required = true } },
        period = new { from = "2027-03-01", to = "2027-03-10" },
        explainExpertIds = explain,
    };

    private static Task<HttpResponseMessage> WithdrawAsync(HttpClient client, Guid expert, string purpose) =>
        PostJsonAsync(client, $"/api/v1/experts/{expert}/consents/withdrawals", new { purpose, note = "Asked by e-mail" });

    private static Task<HttpResponseMessage> GrantAsync(HttpClient client, Guid expert, params string[] purposes) =>
        PostJsonAsync(client, $"/api/v1/experts/{expert}/consents", new { purposes, basis = "expert_declaration" });

    private static async Task<List<Guid>> CandidatesAsync(HttpClient client) =>
        (await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Match())))
            .GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("expertId").GetGuid()).ToList();

    [Test]
    public async Task Withdrawing_roster_membership_takes_the_expert_out_of_matching_at_once_and_a_new_grant_brings_them_back()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        Assert.That(await CandidatesAsync(client), Is.EqualTo(new[] { expert }));

        Assert.That((await WithdrawAsync(client, expert, "roster_membership")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var withdrawn = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Match(expert)));
        Assert.Multiple(() =>
        {
            Assert.That(withdrawn.GetProperty("candidates").GetArrayLength(), Is.Zero);
            Assert.That(withdrawn.GetProperty("excluded").GetProperty("no_consent").GetInt32(), Is.EqualTo(1));
            Assert.That(withdrawn.GetProperty("explanations")[0].GetProperty("failedRules")[0].GetString(), Does.Contain("withdrawn"));
        });

        Assert.That((await GrantAsync(client, expert, "roster_membership")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await CandidatesAsync(client), Is.EqualTo(new[] { expert }));
    }

    [Test]
    public async Task Without_consent_to_evaluation_use_the_evaluation_half_of_track_record_is_zero_and_the_reasons_say_why()
    {
        var client = AsAdmin();
        var consenting = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        var refusing = await AnExpert().Speaking("es", "C1").WithoutConsentTo("evaluation_use").CreateAsync(client);
        var withdrawing = await AnExpert().Speaking("es", "C1").CreateAsync(client);
        await WithdrawAsync(client, withdrawing, "evaluation_use");

        var result = await ReadJsonAsync(await PostJsonAsync(client, "/api/v1/matching", Match()));

        var byExpert = result.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("expertId").GetGuid());
        Assert.Multiple(() =>
        {
            // No deployment yet: the neutral 0.5 of "no evaluation" counts half, with consent only.
            Assert.That(byExpert[consenting].GetProperty("components").GetProperty("trackRecord").GetDouble(), Is.EqualTo(0.25).Within(1e-9));
            foreach (var expert in new[] { refusing, withdrawing })
            {
                Assert.That(byExpert[expert].GetProperty("components").GetProperty("trackRecord").GetDouble(), Is.Zero);
                Assert.That(byExpert[expert].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()),
                    Has.Some.Contains("not consented to their use in matching (evaluation_use)"));
            }
        });
    }

    [Test]
    public async Task Without_consent_to_text_extraction_a_cv_is_stored_without_text_and_a_withdrawal_deletes_the_text_search_found()
    {
        var client = AsAdmin();
        var refusing = await AnExpert().WithoutConsentTo("cv_text_extraction").CreateAsync(client);
        var consenting = await AnExpert().CreateAsync(client);
        var stored = await ReadJsonAsync(await client.PostAsync($"/api/v1/experts/{refusing}/cv", Documents.Upload(Documents.Pdf("Zanzibarian customs"), "cv.pdf")));
        await client.PostAsync($"/api/v1/experts/{consenting}/cv", Documents.Upload(Documents.Pdf("Zanzibarian customs, first CV"), "cv1.pdf"));
        await client.PostAsync($"/api/v1/experts/{consenting}/cv", Documents.Upload(Documents.Pdf("Zanzibarian customs, second CV"), "cv2.pdf"));

        Assert.Multiple(async () =>
        {
            Assert.That(stored.GetProperty("textStatus").GetString(), Is.EqualTo("not_extracted"));
            Assert.That(await FoundAsync(client, "Zanzibarian"), Is.EqualTo(new[] { consenting }));
        });

        Assert.That((await WithdrawAsync(client, consenting, "cv_text_extraction")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var versions = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{consenting}/cv/versions"));
        Assert.Multiple(async () =>
        {
            Assert.That(await FoundAsync(client, "Zanzibarian"), Is.Empty);
            Assert.That(versions.EnumerateArray().Select(v => v.GetProperty("textStatus").GetString()), Is.EqualTo(new[] { "not_extracted", "not_extracted" }));
        });
    }

    [Test]
    public async Task A_grant_of_text_extraction_reads_again_the_text_of_the_cvs_stored_without_it()
    {
        var client = AsAdmin();
        var expert = await AnExpert().WithoutConsentTo("cv_text_extraction").CreateAsync(client);
        await client.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("Quetzalcoatlan border records, first CV"), "cv1.pdf"));
        await client.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("Quetzalcoatlan border records, second CV"), "cv2.pdf"));
        Assert.That(await FoundAsync(client, "Quetzalcoatlan"), Is.Empty);

        Assert.That((await GrantAsync(client, expert, "cv_text_extraction")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The text is read again from the stored files in the background, woken by the grant.
        var found = await EventuallyAsync(() => FoundAsync(client, "Quetzalcoatlan"), ids => ids.Count > 0);
        var versions = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/cv/versions"));
        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(new[] { expert }));
            Assert.That(versions.EnumerateArray().Select(v => v.GetProperty("textStatus").GetString()), Is.EqualTo(new[] { "extracted", "extracted" }));
        });

        // A withdrawal takes the text away again, and it does not come back by itself.
        Assert.That((await WithdrawAsync(client, expert, "cv_text_extraction")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await FoundAsync(client, "Quetzalcoatlan"), Is.Empty);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<List<Guid>> FoundAsync(HttpClient client, string word) =>
        (await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?q={word}")))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    [Test]
    public async Task A_download_for_sharing_needs_the_consent_to_cv_sharing_and_the_audit_records_each_download_s_purpose()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Of("eu_civil_servant", "PT", "PT").WithoutConsentTo("cv_sharing").CreateAsync(admin);
        await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("CV"), "cv.pdf"));
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));

        var refused = await admin.GetAsync($"/api/v1/experts/{expert}/cv?purpose=cv_sharing");
        var unsaid = await admin.GetAsync($"/api/v1/experts/{expert}/cv");
        var unknown = await admin.GetAsync($"/api/v1/experts/{expert}/cv/versions/1?purpose=marketing");
        var managing = await admin.GetAsync($"/api/v1/experts/{expert}/cv/versions/1?purpose=roster_management");
        var byFocalPoint = await focal.GetAsync($"/api/v1/experts/{expert}/cv");
        await GrantAsync(admin, expert, "cv_sharing");
        var shared = await admin.GetAsync($"/api/v1/experts/{expert}/cv?purpose=cv_sharing");

        var problem = await AssertProblemAsync(refused, 409);
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "purpose" }));
        await AssertValidationProblemAsync(unsaid, "purpose");
        await AssertValidationProblemAsync(unknown, "purpose");
        Assert.Multiple(() =>
        {
            Assert.That(managing.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(byFocalPoint.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a focal point's download is roster management");
            Assert.That(shared.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        var audit = (await ReadJsonAsync(await admin.GetAsync($"/api/v1/audit?targetId={expert}"))).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("DownloadCv", StringComparison.Ordinal) && e.GetProperty("statusCode").GetInt32() != 400)
            .Select(e => $"{e.GetProperty("statusCode").GetInt32()}:{e.GetProperty("purpose").GetString()}").Reverse().ToList();
        Assert.That(audit, Is.EqualTo(new[] { "409:cv_sharing", "200:roster_management", "200:roster_management", "200:cv_sharing" }));
    }

    [Test]
    public async Task The_history_keeps_every_grant_and_withdrawal_and_the_state_of_each_purpose_is_derived_from_it()
    {
        var client = AsAdmin();
        var expert = await AnExpert().WithoutConsentTo("cv_sharing").CreateAsync(client);
        await WithdrawAsync(client, expert, "evaluation_use");
        await PostJsonAsync(client, $"/api/v1/experts/{expert}/consents",
            new { purposes = new[] { "evaluation_use" }, basis = "focal_point_written_agreement", note = "Letter 12/2026", expiresAt = "2099-01-01T00:00:00Z" });

        var consents = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts/{expert}/consents"));

        var states = consents.GetProperty("purposes").EnumerateArray().ToDictionary(p => p.GetProperty("purpose").GetString()!, p => p.GetProperty("state").GetString());
        var history = consents.GetProperty("history").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(states, Is.EqualTo(new Dictionary<string, string?>
            {
                ["roster_membership"] = "granted", ["cv_sharing"] = "none", ["evaluation_use"] = "granted", ["cv_text_extraction"] = "granted",
            }));
            Assert.That(history.Select(h => $"{h.GetProperty("purpose").GetString()}:{h.GetProperty("basis").GetString()}:{h.GetProperty("withdrawnAt").ValueKind}"),
                Is.EqualTo(new[]
                {
                    "roster_membership:stated_in_profile:Null", "evaluation_use:stated_in_profile:String", "cv_text_extraction:stated_in_profile:Null",
                    "evaluation_use:focal_point_written_agreement:Null",
                }));
            Assert.That(history[0].GetProperty("note").GetString(), Does.Contain("Written consent form"), "the profile's consent text is kept");
        });
    }

    [Test]
    public async Task Bad_consent_requests_are_named_and_scope_and_roles_hold()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Of("eu_civil_servant", "PT", "PT").WithoutConsentTo("cv_sharing").CreateAsync(admin);
        var spanishFocal = WithKey(await Keys.IssueAsync("focal_point", "ES"));
        var reader = WithKey(await Keys.IssueAsync("reader"));

        await AssertValidationProblemAsync(await PostJsonAsync(admin, $"/api/v1/experts/{expert}/consents", new { purposes = new[] { "marketing" }, basis = "expert_declaration" }), "purposes[0]");
        await AssertValidationProblemAsync(await PostJsonAsync(admin, $"/api/v1/experts/{expert}/consents", new { purposes = new[] { "cv_sharing" } }), "basis");
        await AssertValidationProblemAsync(await PostJsonAsync(admin, $"/api/v1/experts/{expert}/consents",
            new { purposes = new[] { "cv_sharing" }, basis = "expert_declaration", recordedAt = "2026-01-02T00:00:00Z", expiresAt = "2026-01-01T00:00:00Z" }), "expiresAt");
        await AssertValidationProblemAsync(await WithdrawAsync(admin, expert, "everything"), "purpose");
        var nothing = await AssertProblemAsync(await WithdrawAsync(admin, expert, "cv_sharing"), 409);
        Assert.That(nothing.GetProperty("errors").TryGetProperty("purpose", out _), Is.True);
        await AssertProblemAsync(await spanishFocal.GetAsync($"/api/v1/experts/{expert}/consents"), 404);
        await AssertProblemAsync(await GrantAsync(spanishFocal, expert, "cv_sharing"), 404);
        await AssertProblemAsync(await GrantAsync(reader, expert, "cv_sharing"), 403);
        Assert.That((await reader.GetAsync($"/api/v1/experts/{expert}/consents")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
