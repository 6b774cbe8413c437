#if EAR_CLIENT_SCENARIO_REWRITTEN // Disabled while the scenario is rewritten for the completed document.
using Ear.Api.Tests.Infrastructure;
using Ear.Client;

namespace Ear.Api.Tests.Clients;

/// <summary>
/// What another ICMPD .NET system does with src/Ear.Client, the client generated from
/// openapi/ear.v1.json: reference data, experts, CVs, an action through its workflow, matching,
/// deployments and reports, with nothing but the generated types. A step the client cannot take is a
/// gap in the contract, not in the service, so each one fails here rather than in a caller's code.
/// </summary>
public sealed class CSharpClientScenarioTests : ApiTest
{
    private static readonly DateOnly ActivityStart = new(2025, 3, 3);
    private static readonly DateOnly ActivityEnd = new(2025, 3, 7);

    [Test]
    public async Task The_scenario_runs_through_the_generated_client_as_far_as_the_committed_document_allows()
    {
        var focalPoint = new EarClient(WithKey(await Keys.IssueAsync("focal_point", "FR")));
        var admin = new EarClient(AsAdmin());

        await ReadReferenceDataAsync(new EarClient(WithKey(await Keys.IssueAsync("reader"))));
        var anna = await CreateExpertAsync(focalPoint, "Anna");
        var marc = await CreateExpertAsync(focalPoint, "Marc");
        var (action, activity) = await CreateApprovedActionWithActivityAsync(admin);
        await MatchAndDeployTheProposedTeamAsync(admin, action, activity, [anna.Id, marc.Id]);
    }

    [Test]
    [Ignore("waits for the complete OpenAPI document: SearchExperts, DownloadCv and GetSummaryReport declare no 200 body, " +
            "UpdateExpert declares no If-Match header, UploadCv declares no multipart 'file' field")]
    public async Task The_whole_scenario_runs_through_the_generated_client()
    {
#if EAR_OPENAPI_COMPLETE
        var focalPoint = new EarClient(WithKey(await Keys.IssueAsync("focal_point", "FR")));
        var admin = new EarClient(AsAdmin());
        var reader = new EarClient(WithKey(await Keys.IssueAsync("reader")));

        await ReadReferenceDataAsync(reader);
        var anna = await CreateExpertAsync(focalPoint, "Anna");
        var marc = await CreateExpertAsync(focalPoint, "Marc");
        await UpdateWithIfMatchAsync(focalPoint, anna);
        await SearchWithFiltersAsync(focalPoint, [anna.Id, marc.Id]);
        await UploadAndDownloadACvAsync(focalPoint, anna.Id);
        var (action, activity) = await CreateApprovedActionWithActivityAsync(admin);
        await MatchAndDeployTheProposedTeamAsync(admin, action, activity, [anna.Id, marc.Id]);
        await ReadTheSummaryReportAsync(reader);
#else
        await Task.CompletedTask;
#endif
    }

    [Test]
    [Ignore("waits for a CSV operation in the OpenAPI document: GetSummaryReport offers text/csv beside application/json " +
            "in one 200, and a generated client always sends Accept: application/json for it")]
    public async Task The_summary_report_reads_as_csv_through_the_generated_client()
    {
#if EAR_OPENAPI_CSV_OPERATIONS
        var reader = new EarClient(WithKey(await Keys.IssueAsync("reader")));

        using var csv = await reader.GetSummaryReportCsvAsync("2025-01-01", "2025-12-31");
        using var text = new StreamReader(csv.Stream);

        Assert.That(await text.ReadToEndAsync(), Does.StartWith("figure,key,value\nfrom,,2025-01-01\nto,,2025-12-31\n"));
#else
        await Task.CompletedTask;
#endif
    }

    private static async Task ReadReferenceDataAsync(EarClient reader)
    {
        var themes = await reader.ListThemesAsync();
        var countries = await reader.ListCountriesAsync();

        var irregular = themes.Single(t => t.Code == "irregular");
        var france = countries.Single(c => c.Code == "FR");
        var peru = countries.Single(c => c.Code == "PE");
        Assert.Multiple(() =>
        {
            Assert.That(themes, Has.Count.EqualTo(5));
            Assert.That(irregular.Children?.Select(t => t.Code), Does.Contain("irregular.border-management"));
            Assert.That(irregular.Label?.Fr, Is.Not.Empty);
            Assert.That(france.EuMemberToday, Is.True);
            Assert.That(countries.Single(c => c.Code == "GB").EuMemberships?.Single().Until, Is.EqualTo(new DateOnly(2020, 2, 1)));
            Assert.That(peru.Regions, Is.Not.Empty);
        });
    }

    private static async Task<ExpertResponse> CreateExpertAsync(EarClient focalPoint, string givenName)
    {
        var created = await focalPoint.CreateExpertAsync(new ExpertRequest
        {
            GivenName = givenName,
            FamilyName = "Durand",
            Email = $"{givenName.ToLowerInvariant()}.durand@interieur.gouv.fr",
            Gender = givenName == "Anna" ? "female" : "male",
            Nationality = "FR",
            Kind = "eu_civil_servant",
            MemberState = "FR",
            Position = "Border police officer",
            Languages = [new LanguageSkill { Code = "fr", Level = "native" }, new LanguageSkill { Code = "es", Level = "C1" }],
            Themes = [new ThemeSkill { Code = "irregular.border-management", Level = 3 }],
            CountriesOfExperience = ["PE"],
            Unavailability = [],
            Status = "active",
            Consent = new ConsentRecord { RecordedAt = new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero), RecordedBy = "MIEUX team", Basis = "Written consent form" },
        });

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(201));
            Assert.That(created.Headers["ETag"].Single(), Is.EqualTo("\"1\""));
            Assert.That(created.Result.GivenName, Is.EqualTo(givenName));
            Assert.That(created.Result.Origin, Is.EqualTo("eu"));
        });
        return created.Result;
    }

#if EAR_OPENAPI_COMPLETE
    private static async Task UpdateWithIfMatchAsync(EarClient focalPoint, ExpertResponse expert)
    {
        var read = await focalPoint.GetExpertAsync(expert.Id);
        var etag = read.Headers["ETag"].Single();
        var change = new ExpertRequest
        {
            GivenName = read.Result.GivenName,
            FamilyName = read.Result.FamilyName,
            Email = read.Result.Email,
            Gender = read.Result.Gender,
            Nationality = read.Result.Nationality,
            Kind = read.Result.Kind,
            MemberState = read.Result.MemberState,
            Position = "Head of the border police school",
            Languages = read.Result.Languages,
            Themes = read.Result.Themes,
            CountriesOfExperience = read.Result.CountriesOfExperience,
            Unavailability = read.Result.Unavailability,
            Status = read.Result.Status,
            Consent = read.Result.Consent,
        };

        var updated = await focalPoint.UpdateExpertAsync(expert.Id, etag, change);
        var stale = Assert.ThrowsAsync<EarApiException<ProblemDetails>>(() => focalPoint.UpdateExpertAsync(expert.Id, etag, change));

        Assert.Multiple(() =>
        {
            Assert.That(updated.Result.Position, Is.EqualTo("Head of the border police school"));
            Assert.That(updated.Headers["ETag"].Single(), Is.Not.EqualTo(etag));
            Assert.That(stale?.StatusCode, Is.EqualTo(412));
        });
    }

    private static async Task SearchWithFiltersAsync(EarClient focalPoint, Guid[] expected)
    {
        var page = await focalPoint.SearchExpertsAsync(theme: "irregular", language: "es", minLevel: "C1",
            memberState: "FR", countryOfExperience: "PE", status: "active", limit: "1");
        var next = await focalPoint.SearchExpertsAsync(theme: "irregular", language: "es", minLevel: "C1",
            memberState: "FR", countryOfExperience: "PE", status: "active", limit: "1", cursor: page.NextCursor);
        var nobody = await focalPoint.SearchExpertsAsync(language: "es", minLevel: "native");

        Assert.Multiple(() =>
        {
            Assert.That(page.Total, Is.EqualTo(2));
            Assert.That(page.Items.Concat(next.Items).Select(e => e.Id), Is.EquivalentTo(expected));
            Assert.That(next.NextCursor, Is.Null);
            Assert.That(nobody.Total, Is.Zero);
        });
    }

    private static async Task UploadAndDownloadACvAsync(EarClient focalPoint, Guid expert)
    {
        var pdf = Documents.Pdf("Anna Durand", "Border management, Lima 2019");

        var uploaded = await focalPoint.UploadCvAsync(expert, new FileParameter(new MemoryStream(pdf), "anna-durand.pdf", "application/pdf"));
        using var download = await focalPoint.DownloadCvAsync(expert);
        using var bytes = new MemoryStream();
        await download.Stream.CopyToAsync(bytes);

        Assert.Multiple(() =>
        {
            Assert.That(uploaded.Version, Is.EqualTo(1));
            Assert.That(uploaded.ContentType, Is.EqualTo("application/pdf"));
            Assert.That(download.StatusCode, Is.EqualTo(200));
            Assert.That(download.Headers["ETag"].Single(), Is.EqualTo($"\"{uploaded.Sha256}\""));
            Assert.That(bytes.ToArray(), Is.EqualTo(pdf));
        });
    }
#endif

    private static async Task<(ActionResponse Action, ActivityResponse Activity)> CreateApprovedActionWithActivityAsync(EarClient admin)
    {
        var created = await admin.CreateActionAsync(new ActionRequest
        {
            Code = "PE-2025-01",
            Title = "Strengthening border management",
            RequestingAuthority = "Superintendencia Nacional de Migraciones",
            BeneficiaryCountries = ["PE"],
            Themes = ["irregular.border-management"],
            WorkingLanguages = ["es"],
            RequestedAt = new DateOnly(2024, 11, 1),
            Period = new ActionPeriod { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31) },
        });
        await admin.ChangeActionStatusAsync(created.Result.Id, new StatusChangeRequest { To = "in_preparation" });
        var approved = await admin.ChangeActionStatusAsync(created.Result.Id, new StatusChangeRequest { To = "approved", Note = "Steering committee" });
        var activity = await admin.CreateActivityAsync(created.Result.Id, new ActivityRequest
        {
            Type = "workshop",
            Title = "Risk analysis at the northern border",
            From = ActivityStart,
            To = ActivityEnd,
            Country = "PE",
        });

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(201));
            Assert.That(created.Headers["ETag"], Is.Not.Empty);
            Assert.That(approved.Status, Is.EqualTo("approved"));
            Assert.That(approved.AllowedTransitions, Does.Contain("in_implementation"));
            Assert.That(approved.StatusHistory.Select(s => s.To), Is.EqualTo(new[] { "requested", "in_preparation", "approved" }));
            Assert.That(activity.ActionId, Is.EqualTo(created.Result.Id));
        });
        return (approved, activity);
    }

    private static async Task MatchAndDeployTheProposedTeamAsync(EarClient admin, ActionResponse action, ActivityResponse activity, Guid[] experts)
    {
        var match = await admin.MatchExpertsForActionAsync(action.Id, new MatchingRequest { Team = new TeamRequest { Size = 2, MinWomen = 1 } });
        Assert.That(match.Team?.Members, Is.EquivalentTo(experts), "the proposed team");
        Assert.That(match.RunId, Is.Not.Null);
        var run = await admin.GetMatchingRunAsync(match.RunId.Value);

        foreach (var member in match.Team.Members)
        {
            await admin.DeployExpertAsync(activity.Id!.Value, new DeploymentRequest { ExpertId = member, Role = "expert" });
        }

        var team = await admin.ListActionDeploymentsAsync(action.Id);
        Assert.Multiple(() =>
        {
            Assert.That(match.Team.Feasible, Is.True);
            Assert.That(run.ActionId, Is.EqualTo(action.Id));
            Assert.That(team.Select(d => d.ExpertId), Is.EquivalentTo(experts));
            Assert.That(team.Select(d => (d.From, d.To)), Has.All.EqualTo((ActivityStart, ActivityEnd)));
            Assert.That(team.Select(d => d.Status), Has.All.EqualTo("active"));
        });
    }

#if EAR_OPENAPI_COMPLETE
    private static async Task ReadTheSummaryReportAsync(EarClient reader)
    {
        var summary = await reader.GetSummaryReportAsync("2025-01-01", "2025-12-31");

        Assert.Multiple(() =>
        {
            Assert.That(summary.From, Is.EqualTo(new DateOnly(2025, 1, 1)));
            Assert.That(summary.Deployments, Is.EqualTo(2));
            Assert.That(summary.ExpertsDeployed, Is.EqualTo(2));
            Assert.That(summary.WomenShareAmongDeployed, Is.EqualTo(0.5));
            Assert.That(summary.DeployedByMemberState["FR"], Is.EqualTo(2));
            Assert.That(summary.PartnerCountries, Does.Contain("PE"));
        });
    }
#endif
}
#endif
