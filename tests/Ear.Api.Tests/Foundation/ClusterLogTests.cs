using System.Net;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Foundation;

/// <summary>Erasure reaches the embedded cluster's own log: nothing personal is written there in the first place.</summary>
public sealed class ClusterLogTests : ApiTest
{
    [Test]
    public async Task An_erased_experts_email_is_not_in_the_cluster_log_even_after_a_duplicate_of_it_was_refused()
    {
        if (TestEnvironment.Postgres.LocalCluster is not { } cluster)
        {
            Assert.Ignore("Reads the server log of a local cluster; this run uses another PostgreSQL.");
            return;
        }

        var client = AsAdmin();
        var email = $"private.person.{Guid.NewGuid():N}@example.org";
        var id = await AnExpert().WithEmail(email).CreateAsync(client);
        var duplicate = await PostJsonAsync(client, "/api/v1/experts", AnExpert().WithEmail(email).Build());
        var erased = await client.DeleteAsync($"/api/v1/experts/{id}");

        // PostgreSQL writes an error to its log before it answers the client, so the line is there by now.
        var log = await ReadSharedAsync(cluster.LogFile);
        Assert.Multiple(() =>
        {
            Assert.That(duplicate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(log, Does.Contain("experts_email_unique"), "the refused duplicate is logged, without its value");
            Assert.That(log, Does.Not.Contain(email));
        });
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
