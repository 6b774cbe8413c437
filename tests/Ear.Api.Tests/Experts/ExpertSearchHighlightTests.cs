using System.Net;
using System.Net.Http.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

/// <summary>
/// A highlight is sought only where the profile's words hold one of q's (expert_snippet_words, migration 0024):
/// those words must follow every change of position, employer and bio, or a highlight would go missing.
/// </summary>
public sealed class ExpertSearchHighlightTests : ApiTest
{
    [Test]
    public async Task A_highlight_follows_the_profile_as_it_changes_and_in_each_language_of_its_words()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Named("Lumina", "Ferreira").With("bio", "Twenty years in the police.").CreateAsync(client);

        var before = await HighlightAsync(client, "ferreira", expert);
        await UpdateAsync(client, expert, AnExpert().Named("Lumina", "Ferreira")
            .With("position", "Head of unit").With("employer", "Ferreira & Filhos").With("bio", "Vigilância das fronteiras marítimas."));
        var byEmployer = await HighlightAsync(client, "ferreira", expert);
        var byStemmedWord = await HighlightAsync(client, "fronteira", expert);
        await UpdateAsync(client, expert, AnExpert().Named("Lumina", "Ferreira").With("bio", "Twenty years in the police."));
        var afterwards = await HighlightAsync(client, "ferreira", expert);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Null, "the name alone gives no highlight: it is taken from position, employer and bio");
            Assert.That(byEmployer, Does.Contain("<mark>Ferreira</mark> &amp; Filhos"));
            Assert.That(byStemmedWord, Does.Contain("<mark>fronteiras</mark>"), "a Portuguese plural found by its singular, as ear_headline's configurations read it");
            Assert.That(afterwards, Is.Null, "the employer's word is gone with it");
        });
    }

    [Test]
    public async Task An_erased_expert_leaves_no_words_to_highlight()
    {
        var client = AsAdmin();
        var expert = await AnExpert().Named("Obliva", "Costa").With("bio", "Asylum caseworker in Porto.").CreateAsync(client);
        Assert.That(await HighlightAsync(client, "obliva", expert), Is.Null);
        Assert.That(await HighlightAsync(client, "asylum porto", expert), Does.Contain("<mark>Asylum</mark>"));

        Assert.That((await client.DeleteAsync($"/api/v1/experts/{expert}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var words = new Npgsql.NpgsqlCommand("SELECT words::text FROM expert_snippet_words WHERE expert_id = @id", connection);
        words.Parameters.AddWithValue("id", expert);
        Assert.That(await words.ExecuteScalarAsync(), Is.EqualTo("").Or.Null, "the bio's words go with the bio");
    }

    private static async Task<string?> HighlightAsync(HttpClient client, string q, Guid expert)
    {
        var response = await client.GetAsync($"/api/v1/experts?q={Uri.EscapeDataString(q)}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var page = await ReadJsonAsync(response);
        var highlight = page.GetProperty("highlights").EnumerateArray().Single(h => h.GetProperty("expertId").GetGuid() == expert);
        return highlight.GetProperty("snippet").GetString();
    }

    private static async Task UpdateAsync(HttpClient client, Guid expert, ExpertBuilder profile)
    {
        var etag = (await client.GetAsync($"/api/v1/experts/{expert}")).Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{expert}") { Content = JsonContent.Create(profile.Build(), options: Json) };
        update.Headers.IfMatch.Add(etag);
        var updated = await client.SendAsync(update);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
    }
}
