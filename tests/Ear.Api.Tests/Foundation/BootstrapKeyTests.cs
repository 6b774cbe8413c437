using System.Net;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ear.Api.Tests.Foundation;

/// <summary>EAR_BOOTSTRAP_ADMIN_KEY is created once; revoking it is for good, however often the service starts again.</summary>
public sealed class BootstrapKeyTests : ApiTest
{
    private const string BootstrapKey = "ear_bootstrap-key-under-test-0123456789abcdefghijk";

    [Test]
    public async Task A_revoked_bootstrap_key_stays_revoked_when_the_service_starts_again()
    {
        await using (var first = StartServiceWithBootstrapKey())
        {
            var beforeRevocation = await WithBootstrapKey(first).GetAsync("/api/v1/themes");
            Assert.That(beforeRevocation.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var revoked = await AsAdmin().DeleteAsync($"/api/v1/api-keys/{await BootstrapKeyIdAsync()}");
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var restarted = StartServiceWithBootstrapKey();

        await AssertProblemAsync(await WithBootstrapKey(restarted).GetAsync("/api/v1/themes"), 401);
    }

    [Test]
    public async Task Starting_with_a_revoked_bootstrap_key_warns_that_it_is_not_restored()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres.ConnectionString);
        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, new RecordingLogger(), CancellationToken.None);
        await AsAdmin().DeleteAsync($"/api/v1/api-keys/{await BootstrapKeyIdAsync()}");
        var logger = new RecordingLogger();

        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, logger, CancellationToken.None);

        Assert.That(logger.Lines, Has.One.Matches<(LogLevel Level, string Message)>(
            line => line.Level == LogLevel.Warning && line.Message.Contains("revoked and is not restored", StringComparison.Ordinal)));
    }

    [Test]
    public async Task When_the_revoked_bootstrap_key_was_the_last_admin_a_new_admin_key_is_generated_in_its_place()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres.ConnectionString);
        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, new RecordingLogger(), CancellationToken.None);
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = now()");

        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, new RecordingLogger(), CancellationToken.None);

        var activeAdmins = await connection.QueryAsync<string>("SELECT name FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL");
        Assert.That(activeAdmins, Is.EqualTo(new[] { "generated admin" }));
    }

    [Test]
    public async Task A_bootstrap_key_that_already_exists_is_left_as_it_is()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestEnvironment.Postgres.ConnectionString);
        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, new RecordingLogger(), CancellationToken.None);
        var id = await BootstrapKeyIdAsync();
        var logger = new RecordingLogger();

        await BootstrapAdminKey.EnsureAsync(dataSource, BootstrapKey, logger, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await BootstrapKeyIdAsync(), Is.EqualTo(id));
            Assert.That(logger.Lines, Is.Empty);
            Assert.That((await WithKey(BootstrapKey).GetAsync("/api/v1/themes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    private static EarApiFactory StartServiceWithBootstrapKey()
    {
        var factory = new EarApiFactory(TestEnvironment.Postgres.ConnectionString, new Dictionary<string, string?> { ["EAR_BOOTSTRAP_ADMIN_KEY"] = BootstrapKey });
        _ = factory.Server;
        return factory;
    }

    private static HttpClient WithBootstrapKey(EarApiFactory service)
    {
        var client = service.CreateValidatedClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, BootstrapKey);
        return client;
    }

    private static async Task<Guid> BootstrapKeyIdAsync()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        return await connection.QuerySingleAsync<Guid>("SELECT id FROM api_keys WHERE key_hash = @hash", new { hash = ApiKeySecrets.Hash(BootstrapKey) });
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
