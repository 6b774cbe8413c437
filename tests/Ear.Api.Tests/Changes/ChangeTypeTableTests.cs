using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ear.Api.Features.Changes;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Changes;

/// <summary>
/// ChangeTypes is the one definition of the event types and their data; the triggers write events and the OpenAPI
/// document describes them. These tests hold both to the table: every type occurs, with exactly its data members,
/// and the document has its schema and the webhook callback.
/// </summary>
public sealed class ChangeTypeTableTests : ApiTest
{
    [Test]
    public async Task Every_event_type_is_written_with_exactly_the_data_its_table_entry_names()
    {
        var admin = AsAdmin();
        var expert = AnExpert().Of("eu_civil_servant", "AT", "AT");
        var id = await expert.CreateAsync(admin);
        await PutAsync(admin, $"/api/v1/experts/{id}", expert.With("employer", "BMI").With("consent", new { recordedAt = "2026-02-01T09:00:00Z", recordedBy = "Focal point", basis = "E-mail" }).Build());
        Assert.That((await admin.PostAsync($"/api/v1/experts/{id}/cv", Documents.Upload(Documents.Pdf("Curriculum", "cv@example.org"), "cv.pdf"))).IsSuccessStatusCode);
        var action = AnAction().During(Days.FromToday(-400), Days.FromToday(400));
        var actionId = await action.CreateApprovedAsync(admin);
        await PutAsync(admin, $"/api/v1/actions/{actionId}", action.With("title", "Retitled").Build());
        Assert.That((await admin.PostAsJsonAsync($"/api/v1/actions/{actionId}/matching", new { period = new { from = Days.FromToday(30), to = Days.FromToday(34) } }, Json)).IsSuccessStatusCode);
        var past = await DeployOnNewActivityAsync(admin, actionId, id, -40, -36);
        Assert.That((await admin.PutAsJsonAsync($"/api/v1/deployments/{past}/evaluation", new { rating = 4, recommendation = "redeploy" }, Json)).IsSuccessStatusCode);
        var future = await DeployOnNewActivityAsync(admin, actionId, id, 60, 62);
        Assert.That((await PostJsonAsync(admin, $"/api/v1/deployments/{future}/cancel", new { reason = "Postponed" })).IsSuccessStatusCode);
        Assert.That((await admin.DeleteAsync($"/api/v1/experts/{id}")).IsSuccessStatusCode);

        var events = await ChangeFeedTests.ReadAllAsync(admin);

        Assert.That(events.Select(e => e.GetProperty("type").GetString()).Distinct(), Is.EquivalentTo(ChangeTypes.Names), "every type occurs");
        Assert.Multiple(() =>
        {
            foreach (var change in events)
            {
                var type = change.GetProperty("type").GetString()!;
                Assert.That(change.GetProperty("data").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(ChangeTypes.All[type].Data), type);
            }
        });
    }

    [Test]
    public async Task The_document_describes_every_event_types_payload_and_the_signed_webhook_request()
    {
        var document = JsonNode.Parse(await Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var callback = document["paths"]!["/api/v1/webhooks/subscriptions"]!["post"]!["callbacks"]!["event"]!["{$request.body#/url}"]!["post"]!;

        Assert.Multiple(() =>
        {
            foreach (var (type, entry) in ChangeTypes.All)
            {
                var schema = schemas[ChangeTypes.SchemaName(type)]!;
                Assert.That(schema["properties"]!["type"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { type }));
                Assert.That(schema["properties"]!["data"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EquivalentTo(entry.Data), type);
            }

            // The callback for generated clients, and the same request as the document's webhook (x-webhooks in 3.0).
            foreach (var request in new[] { callback, document["x-webhooks"]!["changeEvent"]!["post"]! })
            {
                Assert.That(request["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()),
                    Is.EquivalentTo(new[] { "webhook-id", "webhook-timestamp", "webhook-signature" }));
                Assert.That(request["requestBody"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray().Select(s => s!["$ref"]!.GetValue<string>()),
                    Is.EquivalentTo(ChangeTypes.Names.Select(t => $"#/components/schemas/{ChangeTypes.SchemaName(t)}")));
            }
        });
    }

    internal static async Task PutAsync(HttpClient client, string url, object body)
    {
        var current = await client.GetAsync(url);
        var update = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body, options: Json) };
        update.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        var response = await client.SendAsync(update);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
