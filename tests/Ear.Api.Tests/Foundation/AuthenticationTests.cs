using Ear.Api.Tests;
using System.Net;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

public sealed class AuthenticationTests : ApiTest
{
    [Test]
    public async Task A_request_without_a_key_gets_401_problem_json()
    {
        var response = await Anonymous().GetAsync("/api/v1/themes");

        var problem = await AssertProblemAsync(response, 401);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("X-Api-Key"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("X-Api-Key"));
        });
    }

    [Test]
    public async Task A_request_with_an_unknown_key_gets_401()
    {
        var response = await WithKey("ear_not-a-key-anyone-issued").GetAsync("/api/v1/themes");

        await AssertProblemAsync(response, 401);
    }

    [Test]
    public async Task The_bootstrap_admin_key_opens_the_api()
    {
        var response = await AsAdmin().GetAsync("/api/v1/themes");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Health_and_the_openapi_document_need_no_key()
    {
        var client = Anonymous();

        Assert.Multiple(async () =>
        {
            Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await client.GetAsync("/swagger/v1/swagger.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Keys_are_stored_hashed_never_in_clear()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM api_keys WHERE position(convert_to(@secret, 'UTF8') in key_hash) > 0 OR key_prefix = @secret", connection);
        command.Parameters.AddWithValue("secret", TestEnvironment.AdminKey);

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(0L));
    }
}
