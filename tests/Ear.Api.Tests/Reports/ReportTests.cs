using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Reports;

/// <summary>
/// A small fixture whose figures are worked out by hand: creation and consent dates are set in the
/// database (the API stamps "now"), deployments go through the API.
/// </summary>
public sealed class ReportTests : ApiTest
{
    [Test]
    public async Task The_summary_matches_figures_worked_out_by_hand_including_boundaries_and_erased_experts()
    {
        var client = AsAdmin();
        // Pool at 2024-12-31: anna (FR), bruno (ES, male), sara (SN, South), erased (PT, erased in 2025).
        // Not in it: late (created 2025-01-01), noConsent, inactive.
        var anna = await AnExpert().Of("eu_civil_servant", "FR", "FR").Gender("female").CreateAsync(client);
        var bruno = await AnExpert().Of("eu_civil_servant", "ES", "ES").Gender("male").CreateAsync(client);
        var sara = await AnExpert().Of("south_civil_servant", "SN").Gender("female").CreateAsync(client);
        var erased = await AnExpert().Of("eu_civil_servant", "PT", "PT").Gender("female").CreateAsync(client);
        var late = await AnExpert().Of("academic", "BE").CreateAsync(client);
        var noConsent = await AnExpert().WithoutConsent().CreateAsync(client);
        var inactive = await AnExpert().Inactive().CreateAsync(client);
        await SetDatesAsync(anna, "2023-05-01");
        await SetDatesAsync(bruno, "2024-01-01");
        await SetDatesAsync(sara, "2024-12-31");
        await SetDatesAsync(erased, "2024-06-01");
        await SetDatesAsync(late, "2025-01-01");
        await SetDatesAsync(noConsent, "2024-02-01");
        await SetDatesAsync(inactive, "2024-02-01");

        var action = await AnAction().With("beneficiaryCountries", new[] { "MA", "TN" }).With("themes", new[] { "irregular.trafficking", "legal" })
            .During("2024-01-01", "2024-12-31").CreateApprovedAsync(client);
        var first = await AddActivityAsync(client, action, "2024-01-01", "2024-01-03", "training");
        var last = await AddActivityAsync(client, action, "2024-12-31", "2024-12-31", "workshop");
        var outside = await AnAction().With("beneficiaryCountries", new[] { "PE" }).During("2023-01-01", "2023-12-31").CreateApprovedAsync(client);
        var before = await AddActivityAsync(client, outside, "2023-12-31", "2023-12-31", "study_visit");
        await DeployAsync(client, first, anna);
        await DeployAsync(client, last, anna);
        await DeployAsync(client, first, sara);
        await DeployAsync(client, last, erased);
        await DeployAsync(client, before, bruno);
        var cancelled = await DeployAsync(client, last, bruno);
        await PostJsonAsync(client, $"/api/v1/deployments/{cancelled}/cancel", new { });
        await client.DeleteAsync($"/api/v1/experts/{erased}");
        await using (var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE experts SET erased_at = '2025-03-01' WHERE id = @erased", new { erased });
        }

        var summary = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2024-01-01&to=2024-12-31"));

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("poolSize").GetInt64(), Is.EqualTo(4));
            Assert.That(summary.GetProperty("poolGrowth").GetProperty("absolute").GetInt64(), Is.EqualTo(3));
            Assert.That(summary.GetProperty("poolGrowth").GetProperty("percentage").GetDouble(), Is.EqualTo(300));
            Assert.That(summary.GetProperty("newExperts").GetInt64(), Is.EqualTo(5));
            Assert.That(summary.GetProperty("deployments").GetInt64(), Is.EqualTo(4));
            Assert.That(summary.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(3));
            Assert.That(summary.GetProperty("womenShareAmongDeployed").GetDouble(), Is.EqualTo(1.0));
            Assert.That(summary.GetProperty("civilServantShareAmongDeployed").GetDouble(), Is.EqualTo(1.0));
            Assert.That(summary.GetProperty("deployedByOrigin").GetProperty("eu").GetInt64(), Is.EqualTo(2));
            Assert.That(summary.GetProperty("deployedByOrigin").GetProperty("south").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("deployedByMemberState").GetProperty("PT").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("southDeployedByNationality").GetProperty("SN").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("poolByMemberState").GetProperty("FR").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("poolByMemberState").GetProperty("ES").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("poolByMemberState").GetProperty("PT").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("actionsActive").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("activeActionsByTheme").GetProperty("legal").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("activeActionsByRegion").GetProperty("neighbourhood.south").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("activitiesByType").GetProperty("training").GetInt64(), Is.EqualTo(1));
            Assert.That(summary.GetProperty("activitiesByType").TryGetProperty("study_visit", out _), Is.False);
            Assert.That(summary.GetProperty("partnerCountries").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "MA", "TN" }));
        });

        var after = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2025-01-01&to=2025-12-31"));
        Assert.That(after.GetProperty("poolSize").GetInt64(), Is.EqualTo(4), "the erased expert leaves the pool in 2025, the late one joins");
    }

    [Test]
    public async Task The_member_state_report_shows_each_states_share_and_answers_csv()
    {
        var client = AsAdmin();
        var french = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(client);
        var dutch = await AnExpert().Of("eu_civil_servant", "NL", "NL").CreateAsync(client);
        var action = await AnAction().CreateApprovedAsync(client);
        await DeployAsync(client, await AddActivityAsync(client, action, "2025-02-01", "2025-02-02"), french);
        await DeployAsync(client, await AddActivityAsync(client, action, "2025-03-01", "2025-03-02"), french);
        await DeployAsync(client, await AddActivityAsync(client, action, "2025-04-01", "2025-04-02"), dutch);

        var report = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/member-states?from=2025-01-01&to=2025-12-31"));
        var rows = report.EnumerateArray().ToDictionary(r => r.GetProperty("memberState").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(27));
            Assert.That(rows["FR"].GetProperty("deploymentsInPeriod").GetInt64(), Is.EqualTo(2));
            Assert.That(rows["FR"].GetProperty("shareOfDeployments").GetDouble(), Is.EqualTo(0.6667));
            Assert.That(rows["NL"].GetProperty("expertsEverDeployed").GetInt64(), Is.EqualTo(1));
            Assert.That(rows["DE"].GetProperty("deploymentsInPeriod").GetInt64(), Is.Zero);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/member-states?from=2025-01-01&to=2025-12-31");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.That(csv, Does.Contain("FR,0,1,2,0.6667"));
    }

    [Test]
    public async Task Active_actions_count_under_each_theme_once_under_each_theme_area_and_by_region_with_their_partner_countries()
    {
        var client = AsAdmin();
        await AnAction().With("beneficiaryCountries", new[] { "TN", "MA" }).With("themes", new[] { "irregular.trafficking", "irregular.smuggling", "legal" })
            .During("2024-03-01", "2024-05-31").CreateApprovedAsync(client);
        await AnAction().With("beneficiaryCountries", new[] { "PE" }).With("themes", new[] { "irregular.trafficking" })
            .During("2024-11-01", "2025-02-28").CreateApprovedAsync(client);
        await AnAction().With("beneficiaryCountries", new[] { "SN" }).With("themes", new[] { "legal" })
            .During("2023-01-01", "2023-12-31").CreateApprovedAsync(client);

        var summary = await ReadJsonAsync(await client.GetAsync("/api/v1/reports/summary?from=2024-01-01&to=2024-12-31"));

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("actionsActive").GetInt64(), Is.EqualTo(2));
            Assert.That(Counts(summary, "activeActionsByTheme"),
                Is.EqualTo(new Dictionary<string, long> { ["irregular.smuggling"] = 1, ["irregular.trafficking"] = 2, ["legal"] = 1 }));
            Assert.That(Counts(summary, "activeActionsByThemeArea"), Is.EqualTo(new Dictionary<string, long> { ["irregular"] = 2, ["legal"] = 1 }));
            Assert.That(Counts(summary, "activeActionsByRegion").Values.Sum(), Is.EqualTo(2));
            Assert.That(summary.GetProperty("partnerCountries").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "MA", "PE", "TN" }));
        });
    }

    private static Dictionary<string, long> Counts(JsonElement report, string figure) =>
        report.GetProperty(figure).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    [Test]
    public async Task The_summary_answers_csv_and_a_bad_date_is_named()
    {
        var client = AsAdmin();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var csv = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.That(csv, Does.StartWith("figure,key,value\nfrom,,2024-01-01\nto,,2024-12-31\npoolSize,,0"));
        await AssertValidationProblemAsync(await client.GetAsync("/api/v1/reports/summary?from=2024-13-01"), "from");
        await AssertValidationProblemAsync(await client.GetAsync("/api/v1/reports/summary?from=2024-02-01&to=2024-01-01"), "to");
        await AssertProblemAsync(await WithKey(await Keys.IssueAsync("focal_point", "FR")).GetAsync("/api/v1/reports/summary"), 403);
    }

    [Test]
    public async Task The_csv_operations_answer_the_reports_as_accept_text_csv_does_whatever_accept_says()
    {
        var reader = WithKey(await Keys.IssueAsync("reader"));
        await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(AsAdmin());

        foreach (var report in new[] { "summary", "member-states" })
        {
            using var negotiated = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/{report}?from=2024-01-01&to=2024-12-31");
            negotiated.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var dedicated = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/{report}.csv?from=2024-01-01&to=2024-12-31");
            dedicated.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            var viaAccept = await (await reader.SendAsync(negotiated)).Content.ReadAsStringAsync();
            using var csv = await reader.SendAsync(dedicated);

            Assert.Multiple(async () =>
            {
                Assert.That(csv.StatusCode, Is.EqualTo(HttpStatusCode.OK), report);
                Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"), report);
                Assert.That(await csv.Content.ReadAsStringAsync(), Is.EqualTo(viaAccept), report);
            });
            await AssertValidationProblemAsync(await reader.GetAsync($"/api/v1/reports/{report}.csv?from=2024-02-01&to=2024-01-01"), "to");
            await AssertProblemAsync(await WithKey(await Keys.IssueAsync("focal_point", "FR")).GetAsync($"/api/v1/reports/{report}.csv"), 403);
        }
    }

    private static async Task SetDatesAsync(Guid expert, string day)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.ExecuteAsync(
            "UPDATE experts SET created_at = @at::date, consent_recorded_at = CASE WHEN consent_recorded_at IS NULL THEN NULL ELSE @at::date END WHERE id = @expert",
            new { expert, at = day });
    }

    private static async Task<Guid> DeployAsync(HttpClient client, Guid activity, Guid expert)
    {
        var response = await PostJsonAsync(client, $"/api/v1/activities/{activity}/deployments", new { expertId = expert });
        var body = await ReadJsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body.ToString());
        return body.GetProperty("id").GetGuid();
    }
}
