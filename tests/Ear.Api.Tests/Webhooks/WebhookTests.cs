using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Webhooks;

/// <summary>Webhook subscriptions and their deliveries: signed, in commit order, retried, dead-lettered and re-sent (decision 0023).</summary>
public sealed class WebhookTests : ApiTest
{
    private const string Subscriptions = "/api/v1/webhooks/subscriptions";

    [Test]
    public async Task The_secret_is_shown_once_and_never_listed()
    {
        var admin = AsAdmin();
        var created = await ReadJsonAsync(await PostJsonAsync(admin, Subscriptions,
            new { url = "https://contracting.example.org/ear", eventTypes = new[] { "deployment.created", "deployment.cancelled" } }));
        var secret = created.GetProperty("secret").GetString();
        var id = created.GetProperty("subscription").GetProperty("id").GetGuid();

        var listed = await (await admin.GetAsync(Subscriptions)).Content.ReadAsStringAsync();
        var one = await (await admin.GetAsync($"{Subscriptions}/{id}")).Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(secret, Does.StartWith("whsec_"));
            Assert.That(listed, Does.Contain(id.ToString()).And.Not.Contain(secret!));
            Assert.That(one, Does.Contain("deployment.cancelled").And.Not.Contain(secret!));
        });
        Assert.That((await admin.DeleteAsync($"{Subscriptions}/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertProblemAsync(await admin.GetAsync($"{Subscriptions}/{id}"), 404);
    }

    [TestCase("ftp://example.org/hook", "url")]
    [TestCase("/relative/hook", "url")]
    [TestCase("https://user:pass@example.org/hook", "url")]
    public async Task A_url_that_is_not_an_absolute_http_address_is_refused(string url, string field) =>
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), Subscriptions, new { url, eventTypes = new[] { "expert.created" } }), field);

    [Test]
    public async Task Unknown_event_types_and_a_malformed_secret_are_refused_by_name()
    {
        var response = await PostJsonAsync(AsAdmin(), Subscriptions,
            new { url = "https://example.org/hook", eventTypes = new[] { "expert.created", "expert.exploded" }, secret = "hunter2" });
        var problem = await AssertValidationProblemAsync(response, "eventTypes[1]");
        Assert.That(problem.GetProperty("errors").TryGetProperty("secret", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_secret_longer_than_64_bytes_is_refused_by_name()
    {
        var tooLong = "whsec_" + Convert.ToBase64String(new byte[68]);
        await AssertValidationProblemAsync(await PostJsonAsync(AsAdmin(), Subscriptions,
            new { url = "https://example.org/hook", eventTypes = new[] { "expert.created" }, secret = tooLong }), "secret");
    }

    [Test]
    public async Task Private_network_addresses_are_refused_unless_allowed()
    {
        await using var guarded = new EarApiFactory(TestEnvironment.Postgres.ConnectionString,
            new Dictionary<string, string?> { ["Ear:Webhooks:AllowPrivateNetworks"] = "false" });
        var admin = guarded.CreateValidatedClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", TestEnvironment.AdminKey);
        foreach (var url in new[] { "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/hook" })
        {
            await AssertValidationProblemAsync(await PostJsonAsync(admin, Subscriptions, new { url, eventTypes = new[] { "expert.created" } }), "url");
        }
    }

    [Test]
    public async Task Readers_and_focal_points_cannot_manage_webhooks()
    {
        var reader = WithKey(await Keys.IssueAsync("reader"));
        var focalPoint = WithKey(await Keys.IssueAsync("focal_point", "FR"));
        Assert.That((await reader.GetAsync(Subscriptions)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await PostJsonAsync(focalPoint, Subscriptions, new { url = "https://example.org/hook", eventTypes = new[] { "expert.created" } })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Events_of_the_subscribed_types_arrive_signed_in_commit_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = AsAdmin();
        var subscription = await SubscribeAsync(admin, receiver, "expert.created", "action.created", "action.status_changed");
        var expert = await AnExpert().Of("eu_civil_servant", "BE", "BE").CreateAsync(admin);
        var action = await AnAction().CreateApprovedAsync(admin);
        await AnExpert().Of("academic", "SN").CreateAsync(admin);

        var expected = (await Changes.ChangeFeedTests.ReadAllAsync(admin))
            .Where(e => e.GetProperty("type").GetString() is "expert.created" or "action.created" or "action.status_changed")
            .Select(e => e.GetProperty("id").GetString()).ToList();
        await Eventually(() => Task.FromResult(receiver.Received.Count >= expected.Count), "every event to arrive");

        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received.Select(d => d.Id), Is.EqualTo(expected));
            Assert.That(receiver.Received.Select(d => d.SignatureValid), Is.All.True);
            Assert.That(receiver.Received.Select(d => d.Body.GetProperty("id").GetString()), Is.EqualTo(expected));
            Assert.That(receiver.Received[0].Body.GetProperty("resourceId").GetGuid(), Is.EqualTo(expert));
            Assert.That(receiver.Received[1].Body.GetProperty("resourceId").GetGuid(), Is.EqualTo(action));
        });
        var deliveries = await ReadJsonAsync(await admin.GetAsync($"{Subscriptions}/{subscription}/deliveries"));
        Assert.That(deliveries.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("status").GetString()),
            Is.EqualTo(Enumerable.Repeat("delivered", expected.Count)));
    }

    [Test]
    public async Task A_delivery_that_keeps_failing_is_dead_lettered_and_can_be_sent_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = HttpStatusCode.ServiceUnavailable;
        var admin = AsAdmin();
        var subscription = await SubscribeAsync(admin, receiver, "action.created");
        var action = await AnAction().CreateAsync(admin);

        var deadLettered = await Eventually(async () =>
        {
            var page = await ReadJsonAsync(await admin.GetAsync($"{Subscriptions}/{subscription}/deliveries?status=dead_lettered"));
            return page.GetProperty("items").EnumerateArray().FirstOrDefault();
        }, "the delivery to be dead-lettered");
        Assert.Multiple(() =>
        {
            Assert.That(deadLettered.GetProperty("attempts").GetInt32(), Is.EqualTo(3), "Ear:Webhooks:MaxAttempts of the tests");
            Assert.That(deadLettered.GetProperty("lastStatusCode").GetInt32(), Is.EqualTo(503));
            Assert.That(receiver.Received, Is.Empty);
        });

        receiver.Status = HttpStatusCode.OK;
        var resent = await admin.PostAsync($"{Subscriptions}/{subscription}/deliveries/{deadLettered.GetProperty("id").GetGuid()}/resend", null);
        Assert.That(resent.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resent.Content.ReadAsStringAsync());

        await Eventually(() => Task.FromResult(receiver.Received.Count > 0), "the re-sent delivery to arrive");
        Assert.That(receiver.Received.Single().Body.GetProperty("resourceId").GetGuid(), Is.EqualTo(action));
        Assert.That(receiver.Received.Single().Id, Is.EqualTo(deadLettered.GetProperty("eventId").GetString()));
    }

    [Test]
    public async Task A_failing_event_holds_back_the_later_ones_until_it_succeeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = HttpStatusCode.InternalServerError;
        var admin = AsAdmin();
        await SubscribeAsync(admin, receiver, "action.created");
        var first = await AnAction().CreateAsync(admin);
        await Task.Delay(60);
        receiver.Status = HttpStatusCode.OK;
        var second = await AnAction().CreateAsync(admin);

        await Eventually(() => Task.FromResult(receiver.Received.Count >= 2), "both events to arrive");
        Assert.That(receiver.Received.Select(d => d.Body.GetProperty("resourceId").GetGuid()), Is.EqualTo(new[] { first, second }));
    }

    private static async Task<Guid> SubscribeAsync(HttpClient admin, WebhookReceiver receiver, params string[] eventTypes)
    {
        var response = await PostJsonAsync(admin, Subscriptions, new { url = receiver.Url.ToString(), eventTypes });
        var created = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToString());
        receiver.Secret = created.GetProperty("secret").GetString();
        return created.GetProperty("subscription").GetProperty("id").GetGuid();
    }

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            var value = await probe();
            if (value is not null && !(value is bool b && !b) && !(value is JsonElement { ValueKind: JsonValueKind.Undefined }))
            {
                return value;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Waited 30 s for {what}.");
        return default!;
    }

    internal static Task Eventually(Func<Task<bool>> probe, string what) => Eventually<object>(async () => await probe() ? true : null, what);
}
