using Ear.Api.Tests;
using System.Net;
using Ear.Api.Platform.Database;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

/// <summary>
/// A service whose database goes away answers 503 problem+json with Retry-After, quickly, and comes
/// back by itself. These tests run a second cluster of their own so the shared one is never stopped.
/// </summary>
[NonParallelizable]
public sealed class DatabaseOutageTests
{
    private const string AdminKey = "ear_outage-admin-key-0123456789abcdefghijklmnop";

    [Test]
    public async Task A_stopped_database_gives_503_with_retry_after_and_the_service_recovers_when_it_is_back()
    {
        if (PostgresBinaries.Find() is null)
        {
            Assert.Ignore("Needs the PostgreSQL server binaries to stop and restart a cluster of its own.");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"ear-outage-{Guid.NewGuid():N}");
        await using var cluster = await EmbeddedPostgres.StartAsync(directory);
        try
        {
            await using var factory = new EarApiFactory(cluster.ConnectionString, new Dictionary<string, string?> { ["EAR_BOOTSTRAP_ADMIN_KEY"] = AdminKey });
            var client = factory.CreateValidatedClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            await cluster.StopAsync();

            var ready = await client.GetAsync("/health/ready");
            var api = await client.GetAsync("/api/v1/languages");
            Assert.Multiple(() =>
            {
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(ready.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(ready.Headers.RetryAfter, Is.Not.Null);
                Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(api.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(api.Headers.RetryAfter, Is.Not.Null);
            });

            await cluster.RestartAsync();

            Assert.Multiple(async () =>
            {
                Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That((await client.GetAsync("/api/v1/languages")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
