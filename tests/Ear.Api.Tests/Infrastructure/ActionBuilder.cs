using System.Net.Http.Json;
using System.Text.Json;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>A valid action by default; Build() gives the JSON body, the Async methods go through the API.</summary>
internal sealed class ActionBuilder
{
    private static int _sequence;
    private readonly Dictionary<string, object?> _body;

    public ActionBuilder()
    {
        var n = Interlocked.Increment(ref _sequence);
        _body = new Dictionary<string, object?>
        {
            ["code"] = $"TEST-{n:D4}",
            ["title"] = "Strengthening border management",
            ["requestingAuthority"] = "Ministry of the Interior",
            ["beneficiaryCountries"] = new[] { "PE" },
            ["themes"] = new[] { "irregular.border-management" },
            ["workingLanguages"] = new[] { "es" },
            ["requestedAt"] = "2024-11-01",
            ["period"] = new { from = "2025-01-01", to = "2025-12-31" },
        };
    }

    public static ActionBuilder AnAction() => new();

    public ActionBuilder With(string field, object? value)
    {
        _body[field] = value;
        return this;
    }

    public ActionBuilder During(string from, string? to) => With("period", new { from, to });

    public Dictionary<string, object?> Build() => new(_body);

    public async Task<Guid> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/actions", Build(), ApiTest.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Creates the action and moves it to approved, so that experts can be deployed on it.</summary>
    public async Task<Guid> CreateApprovedAsync(HttpClient client)
    {
        var id = await CreateAsync(client);
        foreach (var status in new[] { "in_preparation", "approved" })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/actions/{id}/status", new { to = status }, ApiTest.Json);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        }

        return id;
    }

    public static async Task<Guid> AddActivityAsync(HttpClient client, Guid actionId, string from, string to, string type = "workshop")
    {
        var response = await client.PostAsJsonAsync($"/api/v1/actions/{actionId}/activities",
            new { type, title = $"{type} {from}", from, to, country = "PE" }, ApiTest.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Deploys the expert on a new activity of the action from <paramref name="from"/> to <paramref name="to"/> days from today; the deployment's id.</summary>
    public static async Task<Guid> DeployOnNewActivityAsync(HttpClient client, Guid actionId, Guid expertId, int from, int to)
    {
        var activity = await AddActivityAsync(client, actionId, Days.FromToday(from), Days.FromToday(to));
        var response = await client.PostAsJsonAsync($"/api/v1/activities/{activity}/deployments", new { expertId }, ApiTest.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}
