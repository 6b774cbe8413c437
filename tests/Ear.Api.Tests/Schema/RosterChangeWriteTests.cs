using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// Each write the service makes to what matching reads leaves a roster_changes row for the expert it
/// changed, and nobody else; writes that change nothing matching reads (a CV, a status move of an
/// action, an evaluation's comment) leave none.
/// </summary>
public sealed class RosterChangeWriteTests : ApiTest
{
    /// <summary>A write through the API; it answers the experts it must log.</summary>
    public sealed record Write(string Name, Func<RosterWorld, Task<Guid[]>> Act)
    {
        public override string ToString() => Name;
    }

    private static readonly Write[] Writes =
    [
        new("an expert created", async w => [await AnExpert().CreateAsync(w.Admin)]),
        new("an expert's status changed (experts)", async w =>
        {
            await PutExpertAsync(w, w.B, AnExpert().Of("academic", "DE").OnlySpeaking("de", "C1").Inactive());
            return [w.B];
        }),
        new("an expert's languages changed (expert_languages)", async w =>
        {
            await PutExpertAsync(w, w.B, AnExpert().Of("academic", "DE").OnlySpeaking("de", "B1"));
            return [w.B];
        }),
        new("an expert erased (experts, child rows)", async w =>
        {
            Assert.That((int)(await w.Admin.DeleteAsync($"/api/v1/experts/{w.B}")).StatusCode, Is.EqualTo(200));
            return [w.B];
        }),
        new("an expert deployed (deployments insert)", async w =>
        {
            await DeployAsync(w, w.B);
            return [w.B];
        }),
        new("a deployment cancelled (deployments update)", async w =>
        {
            var deployment = await DeployAsync(w, w.B);
            await EmptyLogAsync();
            var cancel = await w.Admin.PostAsJsonAsync($"/api/v1/deployments/{deployment}/cancel", new { reason = "postponed" }, Json);
            Assert.That((int)cancel.StatusCode, Is.EqualTo(200), await cancel.Content.ReadAsStringAsync());
            return [w.B];
        }),
        new("a deployment evaluated (evaluations insert)", async w =>
        {
            var deployment = await DeployAsync(w, w.B);
            await EmptyLogAsync();
            await EvaluateAsync(w, deployment, 2, "do_not_redeploy", null);
            return [w.B];
        }),
        new("an evaluation corrected (evaluations update)", async w =>
        {
            await EvaluateAsync(w, w.Deployment, 1, "do_not_redeploy", "Good");
            return [w.A];
        }),
        new("an action's themes changed (actions update)", async w =>
        {
            await PutActionAsync(w, "legal");
            return [w.A];
        }),
        new("an evaluation's comment changed: nobody", async w =>
        {
            await EvaluateAsync(w, w.Deployment, 4, "redeploy", "Very good indeed");
            return [];
        }),
        new("an action's status moved: nobody", async w =>
        {
            var move = await w.Admin.PostAsJsonAsync($"/api/v1/actions/{w.Action}/status", new { to = "in_implementation" }, Json);
            Assert.That((int)move.StatusCode, Is.EqualTo(200), await move.Content.ReadAsStringAsync());
            return [];
        }),
        new("an action's title changed: nobody", async w =>
        {
            await PutActionAsync(w, "irregular.border-management");
            return [];
        }),
        new("a CV uploaded: nobody", async w =>
        {
            var upload = await w.Admin.PostAsync($"/api/v1/experts/{w.A}/cv", Documents.Upload(Documents.Pdf("Border management in Peru"), "cv.pdf"));
            Assert.That((int)upload.StatusCode, Is.EqualTo(201), await upload.Content.ReadAsStringAsync());
            return [];
        }),
    ];

    [TestCaseSource(nameof(Writes))]
    public async Task A_write_logs_the_experts_whose_facts_for_matching_it_changed(Write write)
    {
        var world = await RosterWorld.CreateAsync(AsAdmin());

        var expected = await write.Act(world);

        Assert.That(await RosterWorld.LoggedAsync(), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task A_CV_upload_writes_nothing_into_the_pool_ledger()
    {
        var world = await RosterWorld.CreateAsync(AsAdmin());
        var before = await LedgerVersionsAsync();

        var upload = await world.Admin.PostAsync($"/api/v1/experts/{world.A}/cv", Documents.Upload(Documents.Pdf("Border management in Peru"), "cv.pdf"));

        Assert.That((int)upload.StatusCode, Is.EqualTo(201), await upload.Content.ReadAsStringAsync());
        // xmin is the transaction that wrote a row version: even an update adding zero gives a new one.
        Assert.That(await LedgerVersionsAsync(), Is.EqualTo(before).And.Not.Empty);
    }

    private static async Task<string[]> LedgerVersionsAsync()
    {
        await using var connection = await RosterWorld.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT concat_ws(' ', day, member_state, pool_delta, created, xmin) FROM pool_ledger ORDER BY day, member_state")).ToArray();
    }

    private static async Task EmptyLogAsync()
    {
        await using var connection = await RosterWorld.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM roster_changes");
    }

    private static async Task PutExpertAsync(RosterWorld world, Guid id, ExpertBuilder expert)
    {
        var etag = (await world.Admin.GetAsync($"/api/v1/experts/{id}")).Headers.ETag!;
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(expert.Build(), options: Json) };
        request.Headers.IfMatch.Add(etag);
        var response = await world.Admin.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Changes the world's action: its themes, and always its title.</summary>
    private static async Task PutActionAsync(RosterWorld world, string theme)
    {
        var current = await world.Admin.GetAsync($"/api/v1/actions/{world.Action}");
        var code = (await ReadJsonAsync(current)).GetProperty("code").GetString();
        var body = AnAction().With("code", code).With("title", "Renamed").With("themes", new[] { theme }).Build();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/actions/{world.Action}") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        var response = await world.Admin.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Deploys the expert on the world's (ended) activity; the deployment's id.</summary>
    private static async Task<Guid> DeployAsync(RosterWorld world, Guid expert)
    {
        var response = await world.Admin.PostAsJsonAsync($"/api/v1/activities/{world.Activity}/deployments", new { expertId = expert }, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task EvaluateAsync(RosterWorld world, Guid deployment, int rating, string recommendation, string? comment)
    {
        var response = await world.Admin.PutAsJsonAsync($"/api/v1/deployments/{deployment}/evaluation", new { rating, recommendation, comment }, Json);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }
}
