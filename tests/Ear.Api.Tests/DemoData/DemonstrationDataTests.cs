using System.Text.Json;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.DemoData;

/// <summary>What a newcomer sees after the first `dotnet run`: the demonstration roster and the 2009-2015 record.</summary>
[NonParallelizable]
public sealed class DemonstrationDataTests
{
    private const string AdminKey = "ear_demo-admin-key-0123456789abcdefghijklmnopq";

    private TestPostgres.ScratchDatabase? _database;
    private EarApiFactory? _factory;
    private HttpClient _client = null!;

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
    public async Task The_roster_has_about_650_experts_with_the_domain_make_up()
    {
        var all = (await GetAsync("/api/v1/experts?limit=1")).GetProperty("total").GetInt64();
        var eu = (await GetAsync("/api/v1/experts?limit=1&origin=eu")).GetProperty("total").GetInt64();
        var south = (await GetAsync("/api/v1/experts?limit=1&origin=south")).GetProperty("total").GetInt64();

        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(650));
            Assert.That(eu / (double)all, Is.InRange(0.45, 0.65));
            Assert.That(south / (double)all, Is.InRange(0.04, 0.15));
        });
    }

    [Test]
    public async Task Historical_experts_have_deployments_of_their_recorded_origin()
    {
        var actions = await GetAsync("/api/v1/actions?country=SN&from=2009-01-01&to=2015-12-31&limit=200");
        var first = actions.GetProperty("items").EnumerateArray().First(a => a.GetProperty("code").GetString() == "MIEUX-001");

        var team = await GetAsync($"/api/v1/actions/{first.GetProperty("id").GetGuid()}/deployments");
        var expert = await GetAsync($"/api/v1/experts/{team[0].GetProperty("expertId").GetGuid()}");

        Assert.Multiple(() =>
        {
            Assert.That(expert.GetProperty("kind").GetString(), Is.EqualTo("eu_civil_servant"));
            Assert.That(expert.GetProperty("memberState").GetString(), Is.EqualTo("FR"));
            Assert.That(team[0].GetProperty("evaluation").ValueKind, Is.EqualTo(JsonValueKind.Object));
        });
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
