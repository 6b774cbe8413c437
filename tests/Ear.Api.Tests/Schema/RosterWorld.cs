using System.Net.Http.Json;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using Npgsql;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// Two experts and what matching reads about them, made through the API: A speaks French, knows border
/// management, has an unavailability, and was deployed (and evaluated) on an activity of an approved
/// action in 2025; B has no deployment. Then the change log is emptied, so that a test sees only what
/// its own write logged.
/// </summary>
public sealed record RosterWorld(HttpClient Admin, Guid A, Guid B, Guid Action, Guid Activity, Guid Deployment)
{
    internal static async Task<RosterWorld> CreateAsync(HttpClient admin)
    {
        var a = await AnExpert().UnavailableFrom("2027-01-01", "2027-01-31").CreateAsync(admin);
        var b = await AnExpert().Of("academic", "DE").OnlySpeaking("de", "C1").CreateAsync(admin);
        var action = await AnAction().CreateApprovedAsync(admin);
        var activity = await AddActivityAsync(admin, action, "2025-03-01", "2025-03-05");
        var deploy = await admin.PostAsJsonAsync($"/api/v1/activities/{activity}/deployments", new { expertId = a }, ApiTest.Json);
        Assert.That((int)deploy.StatusCode, Is.EqualTo(201), await deploy.Content.ReadAsStringAsync());
        var deployment = (await deploy.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        var evaluate = await admin.PutAsJsonAsync($"/api/v1/deployments/{deployment}/evaluation",
            new { rating = 4, recommendation = "redeploy", comment = "Good" }, ApiTest.Json);
        Assert.That((int)evaluate.StatusCode, Is.EqualTo(200), await evaluate.Content.ReadAsStringAsync());

        await using var connection = await OpenAsync();
        await connection.ExecuteAsync("DELETE FROM roster_changes");
        return new RosterWorld(admin, a, b, action, activity, deployment);
    }

    internal static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The experts logged in roster_changes since the world was made.</summary>
    internal static async Task<Guid[]> LoggedAsync()
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<Guid>("SELECT DISTINCT expert_id FROM roster_changes ORDER BY 1")).ToArray();
    }
}
