using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Consent;

/// <summary>"What was done with this person's data, for which purpose, by whom" (issue #17 item 4).</summary>
public sealed class ProcessingRecordTests : ApiTest
{
    [Test]
    public async Task The_processing_record_of_an_expert_who_was_matched_downloaded_and_exported_says_so_and_is_part_of_the_export()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Speaking("es", "C1").Of("eu_civil_servant", "PT", "PT").CreateAsync(admin);
        var rival = await AnExpert().Speaking("es", "C2").Knowing("irregular.trafficking", 3).CreateAsync(admin);
        var action = await AnAction().During("2027-03-01", "2027-03-10").CreateAsync(admin);
        var run = (await ReadJsonAsync(await PostJsonAsync(admin, $"/api/v1/actions/{action}/matching", new { team = new { size = 1 } })))
            .GetProperty("runId").GetGuid();
        await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf("CV"), "cv.pdf"));
        await admin.GetAsync($"/api/v1/experts/{expert}/cv?purpose=cv_sharing");
        await PostJsonAsync(admin, $"/api/v1/experts/{expert}/consents/withdrawals", new { purpose = "cv_sharing" });
        await admin.GetAsync($"/api/v1/experts/{expert}/cv?purpose=cv_sharing");
        var export = await ReadJsonAsync(await admin.GetAsync($"/api/v1/experts/{expert}/export"));
        var focal = WithKey(await Keys.IssueAsync("focal_point", "PT"));

        var record = await ReadJsonAsync(await focal.GetAsync($"/api/v1/experts/{expert}/processing"));

        var runs = record.GetProperty("matchingRuns").EnumerateArray().ToList();
        var ranked = (await ReadJsonAsync(await admin.GetAsync($"/api/v1/matching/runs/{run}"))).GetProperty("response").GetProperty("candidates")
            .EnumerateArray().ToDictionary(c => c.GetProperty("expertId").GetGuid(), c => c.GetProperty("rank").GetInt32());
        var disclosures = record.GetProperty("disclosures").EnumerateArray()
            .Select(d => $"{d.GetProperty("action").GetString()}:{d.GetProperty("purpose").GetString()}:{d.GetProperty("statusCode").GetInt32()}");
        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.GetProperty("runId").GetGuid()), Is.EqualTo(new[] { run }));
            Assert.That(ranked.Keys, Is.EquivalentTo(new[] { expert, rival }), "both were ranked");
            Assert.That(runs[0].GetProperty("rank").GetInt32(), Is.EqualTo(ranked[expert]));
            Assert.That(record.ToString(), Does.Not.Contain(rival.ToString()), "the other candidates are not disclosed");
            Assert.That(disclosures, Is.EqualTo(new[] { "DownloadCv:cv_sharing:200", "DownloadCv:cv_sharing:409", "ExportExpertData::200" }));
            Assert.That(record.GetProperty("consents").EnumerateArray().Select(c => $"{c.GetProperty("purpose").GetString()}:{c.GetProperty("withdrawnAt").ValueKind}"),
                Does.Contain("cv_sharing:String"));
            Assert.That(export.GetProperty("processing").GetProperty("matchingRuns")[0].GetProperty("runId").GetGuid(), Is.EqualTo(run));
        });
    }

    [Test]
    public async Task Retention_actions_appear_in_the_record_and_other_member_states_and_readers_see_nothing()
    {
        var admin = AsAdmin();
        var expert = await AnExpert().Of("eu_civil_servant", "PT", "PT").CreateAsync(admin);
        foreach (var n in new[] { 1, 2, 3 })
        {
            await admin.PostAsync($"/api/v1/experts/{expert}/cv", Documents.Upload(Documents.Pdf($"CV {n}"), $"cv{n}.pdf"));
        }

        await using (var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "UPDATE cv_documents SET uploaded_at = now() - interval '2 years' WHERE expert_id = @expert AND version = 1", new { expert });
        }

        var run = (await ReadJsonAsync(await admin.PostAsync("/api/v1/retention/runs", null))).GetProperty("runId").GetGuid();

        var record = await ReadJsonAsync(await admin.GetAsync($"/api/v1/experts/{expert}/processing"));
        var action = record.GetProperty("retentionActions").EnumerateArray().Single();
        Assert.Multiple(async () =>
        {
            Assert.That(action.GetProperty("runId").GetGuid(), Is.EqualTo(run));
            Assert.That(action.GetProperty("kind").GetString(), Is.EqualTo("cv_version_deleted"));
            Assert.That(action.GetProperty("cvVersion").GetInt32(), Is.EqualTo(1));
            Assert.That((await WithKey(await Keys.IssueAsync("focal_point", "ES")).GetAsync($"/api/v1/experts/{expert}/processing")).StatusCode,
                Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await WithKey(await Keys.IssueAsync("reader")).GetAsync($"/api/v1/experts/{expert}/processing")).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }
}
