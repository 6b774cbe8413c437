using System.Text.Json;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PhoneNumbers;
using DemoPeople = Ear.Api.DemoData.DemoPeople;
using DemoStory = Ear.Api.DemoData.DemoStory;

namespace Ear.Api.Tests.DemoData;

/// <summary>
/// What a newcomer sees after the first `dotnet run`: demonstration data that tells MIEUX's published
/// story. The figures are read through the reports API over what the loader wrote; the invariants are
/// checked on every expert and deployment the API serves.
/// </summary>
[NonParallelizable]
public sealed class DemonstrationDataTests
{
    private const string AdminKey = "ear_demo-admin-key-0123456789abcdefghijklmnopq";

    private TestPostgres.ScratchDatabase? _database;
    private EarApiFactory? _factory;
    private HttpClient _client = null!;
    private List<JsonElement>? _experts;
    private List<(JsonElement Action, JsonElement Deployment)>? _deployments;

    [OneTimeSetUp]
    public async Task StartWithDemonstrationDataAsync()
    {
        _database = await TestEnvironment.Postgres.CreateScratchDatabaseAsync();
        _factory = new EarApiFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Ear:DemoData"] = "true",
            ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
        });
        _client = _factory.CreateValidatedClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task Listing_actions_of_2009_to_2015_returns_the_71_historical_actions()
    {
        var page = await GetAsync("/api/v1/actions?from=2009-01-01&to=2015-12-31&limit=200");

        var record = JsonDocument.Parse(await File.ReadAllTextAsync(HistoricalRecord.Path)).RootElement;
        var codes = page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("code").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(71));
            Assert.That(codes, Is.EquivalentTo(record.EnumerateArray().Select(a => a.GetProperty("id").GetString())));
            Assert.That(page.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("status").GetString() == "completed"), Is.EqualTo(40));
        });
    }

    [Test]
    public async Task The_2018_summary_shows_the_annual_report_figures()
    {
        var summary = await GetAsync("/api/v1/reports/summary?from=2018-01-01&to=2018-12-31");

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("poolSize").GetInt64(), Is.EqualTo(649));
            Assert.That(Math.Round(summary.GetProperty("poolGrowth").GetProperty("percentage").GetDouble()), Is.EqualTo(8));
            Assert.That(summary.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(58));
            Assert.That(Math.Round(100 * summary.GetProperty("womenShareAmongDeployed").GetDouble()), Is.EqualTo(59));
            Assert.That(Math.Round(100 * summary.GetProperty("civilServantShareAmongDeployed").GetDouble()), Is.EqualTo(60));
        });
    }

    [Test]
    public async Task The_2009_to_2015_summary_shows_the_249_experts_involved_as_published()
    {
        var summary = await GetAsync("/api/v1/reports/summary?from=2009-01-01&to=2015-12-31");

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(249));
            Assert.That(Counts(summary.GetProperty("deployedByOrigin")),
                Is.EquivalentTo(new Dictionary<string, long> { ["eu"] = 165, ["other"] = 52 + 19, ["south"] = 13 }));
            Assert.That(Counts(summary.GetProperty("deployedByMemberState")), Is.EquivalentTo(PublishedSplit()));
            Assert.That(Counts(summary.GetProperty("southDeployedByNationality")).Values.Sum(), Is.EqualTo(13));
        });
    }

    [Test]
    public async Task The_2009_to_2015_member_state_report_shows_the_published_split()
    {
        var rows = await GetAsync("/api/v1/reports/member-states?from=2009-01-01&to=2015-12-31");

        var everDeployed = rows.EnumerateArray()
            .Where(r => r.GetProperty("expertsEverDeployed").GetInt64() > 0)
            .ToDictionary(r => r.GetProperty("memberState").GetString()!, r => r.GetProperty("expertsEverDeployed").GetInt64());
        Assert.That(everDeployed, Is.EquivalentTo(PublishedSplit()));
    }

    [Test]
    public async Task Of_the_2009_to_2015_experts_outside_administrations_52_are_from_the_eu_and_19_not()
    {
        var experts = (await ExpertsAsync()).ToDictionary(e => e.GetProperty("id").GetGuid());
        var others = (await DeploymentsAsync())
            .Where(d => Day(d.Deployment.GetProperty("from")) <= EndOf2015)
            .Select(d => experts[d.Deployment.GetProperty("expertId").GetGuid()])
            .Where(e => e.GetProperty("origin").GetString() == "other")
            .DistinctBy(e => e.GetProperty("id").GetGuid())
            .ToList();

        // Member states at the end of 2015, the United Kingdom among them.
        var members = (await GetAsync("/api/v1/countries")).EnumerateArray()
            .Where(c => c.GetProperty("euMemberships").EnumerateArray().Any(m =>
                Day(m.GetProperty("from")) <= EndOf2015
                && (m.GetProperty("until").ValueKind == JsonValueKind.Null || Day(m.GetProperty("until")) > EndOf2015)))
            .Select(c => c.GetProperty("code").GetString())
            .ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(others.Count(e => members.Contains(e.GetProperty("nationality").GetString())), Is.EqualTo(52));
            Assert.That(others.Count(e => !members.Contains(e.GetProperty("nationality").GetString())), Is.EqualTo(19));
        });
    }

    [Test]
    public async Task From_2009_to_2024_465_experts_went_on_138_actions_out_of_188_requests()
    {
        var summary = await GetAsync("/api/v1/reports/summary?from=2009-01-01&to=2024-12-31");

        Assert.Multiple(() =>
        {
            Assert.That(summary.GetProperty("expertsDeployed").GetInt64(), Is.EqualTo(465));
            Assert.That(summary.GetProperty("actionsActive").GetInt64(), Is.EqualTo(138));
            Assert.That(summary.GetProperty("newRequests").GetInt64(), Is.EqualTo(188));
            Assert.That(summary.GetProperty("partnerCountries").GetArrayLength(), Is.GreaterThan(100));
        });
    }

    [Test]
    public async Task The_roster_holds_921_experts_856_of_them_in_the_pool()
    {
        var experts = await GetAsync("/api/v1/experts?limit=1");
        var summary = await GetAsync("/api/v1/reports/summary?from=2026-01-01&to=2026-12-31");

        Assert.Multiple(() =>
        {
            Assert.That(experts.GetProperty("total").GetInt64(), Is.EqualTo(921));
            Assert.That(summary.GetProperty("poolSize").GetInt64(), Is.EqualTo(856));
        });
    }

    [Test]
    public async Task A_few_experts_withdrew_a_consent_and_a_few_are_due_for_re_confirmation()
    {
        var plan = await GetAsync("/api/v1/retention/plan");
        var due = (await GetAsync("/api/v1/reconfirmations")).GetArrayLength();
        var sample = (await GetAsync("/api/v1/experts?limit=100")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
        var states = new List<string>();
        foreach (var id in sample)
        {
            states.AddRange((await GetAsync($"/api/v1/experts/{id}/consents")).GetProperty("purposes").EnumerateArray()
                .Select(p => $"{p.GetProperty("purpose").GetString()}:{p.GetProperty("state").GetString()}"));
        }

        var overdue = plan.GetProperty("counts").GetProperty("reconfirmation_requested").GetInt32();
        Assert.Multiple(() =>
        {
            Assert.That(overdue, Is.InRange(5, 100), "about 3 % overdue, suspended by the next run");
            Assert.That(due, Is.GreaterThan(overdue), "due within the notice period too");
            Assert.That(states.Count(s => s.EndsWith(":withdrawn", StringComparison.Ordinal)), Is.InRange(1, 30), "some withdrawals");
            Assert.That(states.Count(s => s == "roster_membership:granted"), Is.GreaterThan(80), "most experts consent to the roster");
            Assert.That(plan.GetProperty("counts").GetProperty("expert_erased").GetInt32(), Is.Zero, "nobody is erased on the first day");
        });
    }

    [Test]
    public async Task Every_deployed_expert_joined_the_roster_and_consented_before_the_deployment()
    {
        var experts = (await ExpertsAsync()).ToDictionary(e => e.GetProperty("id").GetGuid());
        var deployments = await DeploymentsAsync();

        var early = deployments.Where(d =>
        {
            var expert = experts[d.Deployment.GetProperty("expertId").GetGuid()];
            var starts = DateTimeOffset.Parse(d.Deployment.GetProperty("from").GetString()! + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
            return expert.GetProperty("consent").ValueKind != JsonValueKind.Object
                || expert.GetProperty("createdAt").GetDateTimeOffset() >= starts
                || expert.GetProperty("consent").GetProperty("recordedAt").GetDateTimeOffset() >= starts;
        }).Select(d => $"{d.Action.GetProperty("code").GetString()} {d.Deployment.GetProperty("from").GetString()}").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(deployments, Has.Count.GreaterThan(465));
            Assert.That(early, Is.Empty);
        });
    }

    [Test]
    public async Task Deployed_experts_declare_experience_in_the_countries_they_went_to()
    {
        var experts = (await ExpertsAsync()).ToDictionary(e => e.GetProperty("id").GetGuid());

        var undeclared = (await DeploymentsAsync()).SelectMany(d =>
        {
            var expert = experts[d.Deployment.GetProperty("expertId").GetGuid()];
            var declared = expert.GetProperty("countriesOfExperience").EnumerateArray().Select(c => c.GetString()).ToHashSet();
            return d.Action.GetProperty("beneficiaryCountries").EnumerateArray().Select(c => c.GetString())
                .Where(c => c != expert.GetProperty("nationality").GetString() && !declared.Contains(c))
                .Select(c => $"{d.Action.GetProperty("code").GetString()} {c}");
        }).ToList();

        Assert.That(undeclared, Is.Empty);
    }

    [Test]
    public async Task Every_expert_has_a_name_of_the_recorded_gender_and_nationality()
    {
        var mismatched = (await ExpertsAsync()).Where(e =>
        {
            var names = DemoPeople.NamesFor(e.GetProperty("nationality").GetString()!);
            var (given, family) = (e.GetProperty("givenName").GetString(), e.GetProperty("familyName").GetString());
            bool Fits(bool woman) => (woman ? names.Women : names.Men).Contains(given)
                && names.Families.Select(f => DemoPeople.NameList.FamilyFor(f, woman)).Contains(family);
            return e.GetProperty("gender").GetString() switch
            {
                "female" => !Fits(woman: true),
                "male" => !Fits(woman: false),
                _ => !Fits(woman: true) && !Fits(woman: false),
            };
        }).Select(e => $"{e.GetProperty("givenName")} {e.GetProperty("familyName")} ({e.GetProperty("gender")}, {e.GetProperty("nationality")})").ToList();

        Assert.That(mismatched, Is.Empty);
    }

    [Test]
    public async Task The_loaded_story_is_the_one_the_generator_gives_at_every_build()
    {
        var reference = await _factory!.Services.GetRequiredService<ReferenceCatalog>().GetAsync(CancellationToken.None);
        var (first, second) = (DemoStory.Build(reference), DemoStory.Build(reference));
        static IEnumerable<string> Lines(DemoStory story) =>
            story.Experts.Select(e => $"{e.Id} {e.GivenName} {e.FamilyName} {e.Phone} {e.CreatedAt:O}")
                .Concat(story.Deployments.Select(d => $"{d.Id} {d.ExpertId} {d.Activity.From}"));

        var served = (await ExpertsAsync()).Select(e => e.GetProperty("id").GetGuid());
        Assert.Multiple(() =>
        {
            Assert.That(Lines(second), Is.EqualTo(Lines(first)));
            Assert.That(served, Is.EquivalentTo(first.Experts.Select(e => e.Id)));
        });
    }

    [Test]
    public void No_naming_tradition_lists_a_given_name_for_both_genders()
    {
        var ambiguous = DemoPeople.AllNameLists.SelectMany(n => n.Women.Intersect(n.Men)).ToList();

        Assert.That(ambiguous, Is.Empty);
    }

    [Test]
    public async Task Every_phone_number_is_a_valid_number_of_the_experts_nationality()
    {
        var phones = PhoneNumberUtil.GetInstance();
        var experts = await ExpertsAsync();
        var withPhone = experts.Where(e => e.TryGetProperty("phone", out _)).ToList();

        var invalid = withPhone.Where(e =>
        {
            var nationality = e.GetProperty("nationality").GetString()!;
            var number = phones.Parse(e.GetProperty("phone").GetString(), null);
            return !phones.IsValidNumberForRegion(number, nationality);
        }).Select(e => $"{e.GetProperty("phone")} ({e.GetProperty("nationality")})").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(withPhone, Has.Count.GreaterThan(experts.Count / 2));
            Assert.That(invalid, Is.Empty);
        });
    }

    [Test]
    public async Task Historical_experts_have_deployments_of_their_recorded_origin()
    {
        var actions = await GetAsync("/api/v1/actions?country=SN&from=2009-01-01&to=2015-12-31&limit=200");
        var first = actions.GetProperty("items").EnumerateArray().First(a => a.GetProperty("code").GetString() == "MIEUX-001");

        var team = await GetAsync($"/api/v1/actions/{first.GetProperty("id").GetGuid()}/deployments");
        var experts = new List<JsonElement>();
        foreach (var deployment in team.EnumerateArray())
        {
            experts.Add(await GetAsync($"/api/v1/experts/{deployment.GetProperty("expertId").GetGuid()}"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(experts.Select(e => e.GetProperty("kind").GetString()), Has.All.EqualTo("eu_civil_servant"));
            Assert.That(experts.Select(e => e.GetProperty("memberState").GetString()), Has.All.EqualTo("FR"));
            Assert.That(team[0].GetProperty("evaluation").ValueKind, Is.EqualTo(JsonValueKind.Object));
        });
    }

    private static readonly DateOnly EndOf2015 = new(2015, 12, 31);

    private static DateOnly Day(JsonElement value) => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, long> PublishedSplit() => new()
    {
        ["NL"] = 22, ["FR"] = 19, ["ES"] = 16, ["IT"] = 14, ["PT"] = 13, ["GB"] = 10, ["HU"] = 9, ["AT"] = 8, ["BE"] = 8, ["PL"] = 8, ["SI"] = 8,
        ["LT"] = 7, ["RO"] = 7, ["BG"] = 3, ["DE"] = 3, ["CZ"] = 2, ["DK"] = 2, ["FI"] = 2, ["SE"] = 2, ["GR"] = 1, ["MT"] = 1,
    };

    private static Dictionary<string, long> Counts(JsonElement breakdown) =>
        breakdown.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    /// <summary>Every expert, read page by page.</summary>
    private async Task<List<JsonElement>> ExpertsAsync() => _experts ??= await AllPagesAsync("/api/v1/experts?limit=200");

    /// <summary>Every deployment of every action, with its action.</summary>
    private async Task<List<(JsonElement Action, JsonElement Deployment)>> DeploymentsAsync()
    {
        if (_deployments is null)
        {
            _deployments = [];
            foreach (var action in await AllPagesAsync("/api/v1/actions?limit=200"))
            {
                var team = await GetAsync($"/api/v1/actions/{action.GetProperty("id").GetGuid()}/deployments");
                _deployments.AddRange(team.EnumerateArray().Select(d => (action, d)));
            }
        }

        return _deployments;
    }

    private async Task<List<JsonElement>> AllPagesAsync(string url)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await GetAsync(cursor is null ? url : $"{url}&cursor={Uri.EscapeDataString(cursor)}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        return items;
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
