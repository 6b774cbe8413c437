using Ear.Api.Tests.Infrastructure.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>The real service, in memory, on the test run's database.</summary>
/// <remarks><paramref name="configure"/> adds to the host what a test needs besides settings (a log capture, say).</remarks>
internal sealed class EarApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<Program>
{
    [ThreadStatic]
    private static bool _creatingValidatedClient;

    /// <summary>
    /// A client like <c>CreateClient()</c>'s (its base address, redirects and cookies) whose every response is
    /// checked against openapi/ear.v1.json.
    /// </summary>
    public HttpClient CreateValidatedClient()
    {
        var handlers = new List<DelegatingHandler>();
        if (ClientOptions.AllowAutoRedirect)
        {
            handlers.Add(new RedirectHandler(ClientOptions.MaxAutomaticRedirections));
        }

        if (ClientOptions.HandleCookies)
        {
            handlers.Add(new CookieContainerHandler());
        }

        handlers.Add(new ContractValidatingHandler());
        _creatingValidatedClient = true;
        try
        {
            return CreateDefaultClient(ClientOptions.BaseAddress, [.. handlers]);
        }
        finally
        {
            _creatingValidatedClient = false;
        }
    }

    /// <summary>Every client is created here; a stock CreateClient() would let responses past the contract check unseen.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        if (!_creatingValidatedClient)
        {
            throw new InvalidOperationException(
                "Create test clients with EarApiFactory.CreateValidatedClient(): every response is checked against openapi/ear.v1.json.");
        }

        base.ConfigureClient(client);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Ear", connectionString);
        builder.UseSetting("Ear:DemoData", "false");
        // Off unless a test turns it on: the retention tests' runs must find their expiries themselves. A setting
        // here, not in appsettings.Testing.json, whose values would override the tests' own.
        builder.UseSetting("Retention:WatchExpiries", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        configure?.Invoke(builder);
    }
}
