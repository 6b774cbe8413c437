using Ear.Api.Tests.Infrastructure;
using Ear.Client;

namespace Ear.Api.Tests.Clients;

/// <summary>
/// What another ICMPD .NET system does with src/Ear.Client, the client generated from
/// openapi/ear.v1.json: reference data, experts, CVs, an action through its workflow, matching,
/// deployments and reports, with nothing but the generated types: no cast, no null-forgiving operator.
/// A step the client cannot take is a gap in the contract, not in the service, so each one fails here
/// rather than in a caller's code.
/// </summary>
public sealed class CSharpClientScenarioTests : ApiTest
{
    private static readonly DateOnly ActivityStart = new(2025, 3, 3);
    private static readonly DateOnly ActivityEnd = new(2025, 3, 7);
    private static readonly DateOnly YearStart = new(2025, 1, 1);
    private static readonly DateOnly YearEnd = new(2025, 12, 31);

    [Test]
    public async Task The_whole_scenario_runs_through_the_generated_client()
    {
        var focalPoint = new EarClient(WithKey(await Keys.IssueAsync("focal_point", "FR")));
        var admin = new EarClient(AsAdmin());
        var reader = new EarClient(WithKey(await Keys.IssueAsync("reader")));

        await ReadReferenceDataAsync(reader);
        var anna = await CreateExpertAsync(focalPoint, "Anna", ExpertRequestGender.Female);
        var marc = await CreateExpertAsync(focalPoint, "Marc", ExpertRequestGender.Male);
        await UpdateWithIfMatchAsync(focalPoint, anna);
        await SearchWithFiltersAsync(focalPoint, [anna.Id, marc.Id]);
        await ExportTheSearchAsCsvAsync(focalPoint);
        await UploadAndDownloadACvAsync(focalPoint, anna.Id);
        var (action, activity) = await CreateApprovedActionWithActivityAsync(admin);
        await MatchAndDeployTheProposedTeamAsync(admin, action, activity, [anna.Id, marc.Id]);
        await ReadTheReportsAsync(reader);
    }

    private static async Task ReadReferenceDataAsync(EarClient reader)
    {
        var themes = await reader.ListThemesAsync();
        var countries = await reader.ListCountriesAsync();

        var irregular = themes.Single(t => t.Code == "irregular");
        Assert.Multiple(() =>
        {
            Assert.That(themes, Has.Count.EqualTo(5));
            Assert.That(irregular.Children.Select(t => t.Code), Does.Contain("irregular.border-management"));
            Assert.That(irregular.Label.Fr, Is.Not.Empty);
            Assert.That(countries.Single(c => c.Code == "FR").EuMemberToday, Is.True);
            Assert.That(countries.Single(c => c.Code == "GB").EuMemberships.Single().Until, Is.EqualTo(new DateOnly(2020, 2, 1)));
            Assert.That(countries.Single(c => c.Code == "PE").Regions, Is.Not.Empty);
        });
    }

    private static ExpertRequest Profile(string givenName, ExpertRequestGender gender, string position) => new()
    {
        GivenName = givenName,
        FamilyName = "Durand",
        Email = $"{givenName.ToLowerInvariant()}.durand@interieur.gouv.fr",
        Gender = gender,
        Nationality = "FR",
        Kind = ExpertRequestKind.Eu_civil_servant,
        MemberState = "FR",
        Position = position,
        Languages = [new LanguageSkill { Code = "fr", Level = LanguageSkillLevel.Native }, new LanguageSkill { Code = "es", Level = LanguageSkillLevel.C1 }],
        Themes = [new ThemeSkill { Code = "irregular.border-management", Level = 3 }],
        CountriesOfExperience = ["PE"],
        Status = ExpertRequestStatus.Active,
        Consent = new ConsentRecord { RecordedAt = new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero), RecordedBy = "MIEUX team", Basis = "Written consent form" },
    };

    private static async Task<ExpertResponse> CreateExpertAsync(EarClient focalPoint, string givenName, ExpertRequestGender gender)
    {
        var created = await focalPoint.CreateExpertAsync(Profile(givenName, gender, "Border police officer"));

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(201));
            Assert.That(created.Headers["ETag"].Single(), Is.EqualTo("\"1\""));
            Assert.That(created.Result.GivenName, Is.EqualTo(givenName));
            Assert.That(created.Result.Origin, Is.EqualTo(ExpertResponseOrigin.Eu));
            Assert.That(created.Result.Consent?.RecordedBy, Is.EqualTo("MIEUX team"));
        });
        return created.Result;
    }

    /// <summary>The records read (consent, languages, themes, unavailability) go back as they came: request and answer share their types.</summary>
    private static async Task UpdateWithIfMatchAsync(EarClient focalPoint, ExpertResponse expert)
    {
        var read = await focalPoint.GetExpertAsync(expert.Id);
        var etag = read.Headers["ETag"].Single();
        var change = Profile(read.Result.GivenName, ExpertRequestGender.Female, "Head of the border police school");
        change.Consent = read.Result.Consent;
        change.Languages = read.Result.Languages;
        change.Themes = read.Result.Themes;
        change.Unavailability = read.Result.Unavailability;

        var updated = await focalPoint.UpdateExpertAsync(expert.Id, etag, change);
        var stale = Assert.ThrowsAsync<EarApiException<ProblemDetails>>(() => focalPoint.UpdateExpertAsync(expert.Id, etag, change));

        Assert.Multiple(() =>
        {
            Assert.That(updated.Result.Position, Is.EqualTo("Head of the border police school"));
            Assert.That(updated.Result.Consent?.Basis, Is.EqualTo("Written consent form"));
            Assert.That(updated.Headers["ETag"].Single(), Is.Not.EqualTo(etag));
            Assert.That(stale?.StatusCode, Is.EqualTo(412));
        });
    }

    private static async Task SearchWithFiltersAsync(EarClient focalPoint, Guid[] expected)
    {
        var page = await focalPoint.SearchExpertsAsync(theme: "irregular", language: "es", minLevel: MinLevel.C1,
            memberState: "FR", countryOfExperience: "PE", status: Status2.Active, limit: 1);
        var next = await focalPoint.SearchExpertsAsync(theme: "irregular", language: "es", minLevel: MinLevel.C1,
            memberState: "FR", countryOfExperience: "PE", status: Status2.Active, limit: 1, cursor: page.NextCursor);
        var nobody = await focalPoint.SearchExpertsAsync(language: "es", minLevel: MinLevel.Native);

        Assert.Multiple(() =>
        {
            Assert.That(page.Total, Is.EqualTo(2));
            Assert.That(page.Items.Concat(next.Items).Select(e => e.Id), Is.EquivalentTo(expected));
            Assert.That(next.NextCursor, Is.Null);
            Assert.That(nobody.Total, Is.Zero);
        });
    }

    private static async Task ExportTheSearchAsCsvAsync(EarClient focalPoint)
    {
        using var export = await focalPoint.ExportExpertsCsvAsync(theme: "irregular", language: "es", minLevel: MinLevel2.C1, status: Status3.Active);
        var lines = (await ReadTextAsync(export)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(export.StatusCode, Is.EqualTo(200));
            Assert.That(lines[0], Does.StartWith("id,givenName,familyName,email,"));
            Assert.That(lines.Skip(1).Select(line => line.Split(',')[1]), Is.EquivalentTo(new[] { "Anna", "Marc" }));
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
            Assert.That(uploaded.ContentType, Is.EqualTo(CvVersionContentType.Application_pdf));
            Assert.That(download.StatusCode, Is.EqualTo(200));
            Assert.That(download.Headers["ETag"].Single(), Is.EqualTo($"\"{uploaded.Sha256}\""));
            Assert.That(bytes.ToArray(), Is.EqualTo(pdf));
        });
    }

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
            Period = new ActionPeriod { From = YearStart, To = YearEnd },
        });
        await admin.ChangeActionStatusAsync(created.Result.Id, new StatusChangeRequest { To = StatusChangeRequestTo.In_preparation });
        var approved = await admin.ChangeActionStatusAsync(created.Result.Id,
            new StatusChangeRequest { To = StatusChangeRequestTo.Approved, Note = "Steering committee" });
        var activity = await admin.CreateActivityAsync(created.Result.Id, new ActivityRequest
        {
            Type = ActivityRequestType.Workshop,
            Title = "Risk analysis at the northern border",
            From = ActivityStart,
            To = ActivityEnd,
            Country = "PE",
        });

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(201));
            Assert.That(created.Headers["ETag"], Is.Not.Empty);
            Assert.That(approved.Status, Is.EqualTo(ActionResponseStatus.Approved));
            Assert.That(approved.AllowedTransitions, Does.Contain(AllowedTransitions.In_implementation));
            Assert.That(approved.StatusHistory.Select(s => s.To),
                Is.EqualTo(new[] { StatusChangeTo.Requested, StatusChangeTo.In_preparation, StatusChangeTo.Approved }));
            Assert.That(activity.ActionId, Is.EqualTo(created.Result.Id));
        });
        return (approved, activity);
    }

    private static async Task MatchAndDeployTheProposedTeamAsync(EarClient admin, ActionResponse action, ActivityResponse activity, Guid[] experts)
    {
        var match = await admin.MatchExpertsForActionAsync(action.Id, new MatchingRequest
        {
            Period = new MatchingPeriod { From = ActivityStart, To = ActivityEnd },
            Team = new TeamRequest { Size = 2, MinWomen = 1 },
        });
        var proposed = match.Team ?? throw new AssertionException("the matching proposed no team");
        var run = await admin.GetMatchingRunAsync(match.RunId ?? throw new AssertionException("the matching run was not stored"));

        foreach (var member in proposed.Members)
        {
            await admin.DeployExpertAsync(activity.Id, new DeploymentRequest { ExpertId = member, Role = DeploymentRequestRole.Expert });
        }

        var team = await admin.ListActionDeploymentsAsync(action.Id);
        Assert.Multiple(() =>
        {
            Assert.That(proposed.Members, Is.EquivalentTo(experts), "the proposed team");
            Assert.That(proposed.Feasible, Is.True);
            Assert.That(run.ActionId, Is.EqualTo(action.Id));
            Assert.That(team.Select(d => d.ExpertId), Is.EquivalentTo(experts));
            Assert.That(team.Select(d => (d.From, d.To)), Has.All.EqualTo((ActivityStart, ActivityEnd)));
            Assert.That(team.Select(d => d.Status), Has.All.EqualTo(DeploymentResponseStatus.Active));
        });
    }

    private static async Task ReadTheReportsAsync(EarClient reader)
    {
        var summary = await reader.GetSummaryReportAsync(YearStart, YearEnd);
        using var summaryCsv = await reader.GetSummaryReportCsvAsync(YearStart, YearEnd);
        using var memberStatesCsv = await reader.GetMemberStateReportCsvAsync(YearStart, YearEnd);
        var summaryText = await ReadTextAsync(summaryCsv);
        var memberStatesText = await ReadTextAsync(memberStatesCsv);

        Assert.Multiple(() =>
        {
            Assert.That(summary.From, Is.EqualTo(YearStart));
            Assert.That(summary.Deployments, Is.EqualTo(2));
            Assert.That(summary.ExpertsDeployed, Is.EqualTo(2));
            Assert.That(summary.WomenShareAmongDeployed, Is.EqualTo(0.5));
            Assert.That(summary.DeployedByOrigin.Eu, Is.EqualTo(2));
            Assert.That(summary.DeployedByMemberState["FR"], Is.EqualTo(2));
            Assert.That(summary.PartnerCountries, Does.Contain("PE"));
            Assert.That(summaryText, Does.StartWith("figure,key,value\nfrom,,2025-01-01\nto,,2025-12-31\n").And.Contain("\ndeployments,,2\n"));
            Assert.That(memberStatesText, Does.StartWith("memberState,expertsInPool,expertsEverDeployed,deploymentsInPeriod,shareOfDeployments\n")
                .And.Match(@"\nFR,\d+,2,2,1\n"), "France: both experts ever deployed, both deployments of the year, all of them");
        });
    }

    private static async Task<string> ReadTextAsync(FileResponse file)
    {
        using var text = new StreamReader(file.Stream);
        return await text.ReadToEndAsync();
    }
}
