using Ear.Api.Tests;
using System.Net.Http.Json;
using System.Text.Json;
using Ear.Api.Auth;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: a clean roster before each test, and clients that carry real keys.</summary>
public abstract class ApiTest
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [SetUp]
    public Task ResetDatabaseAsync() => TestEnvironment.ResetAsync();

    protected static HttpClient Anonymous() => TestEnvironment.Factory.CreateValidatedClient();

    protected static HttpClient AsAdmin() => WithKey(TestEnvironment.AdminKey);

    protected static HttpClient WithKey(string key)
    {
        var client = TestEnvironment.Factory.CreateValidatedClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, key);
        return client;
    }

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Is.Not.Empty, $"{(int)response.StatusCode} had an empty body");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 answer with the given status, and returns its body.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        });
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem that names <paramref name="field"/> among its errors.</summary>
    protected static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, 400);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(fields, Does.Contain(field), problem.ToString());
        return problem;
    }

    protected static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);
}
