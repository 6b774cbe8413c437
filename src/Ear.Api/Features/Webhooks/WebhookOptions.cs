namespace Ear.Api.Features.Webhooks;

/// <summary>The Ear:Webhooks configuration section (README, "Configuration").</summary>
internal sealed record WebhookOptions
{
    /// <summary>Attempts of one delivery before it is dead-lettered (default 8: about four minutes of backoff).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The wait before the first retry; each later one doubles it, with jitter, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int FirstRetryDelayMilliseconds { get; init; } = 1000;

    public int MaxRetryDelaySeconds { get; init; } = 300;

    /// <summary>How long one attempt may take, connection and answer included.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// Whether subscriptions may point at loopback, private, link-local or unique-local addresses. Off by default
    /// (server-side request forgery: a webhook must not reach the database or a cloud metadata endpoint); the
    /// tests and a single-host installation turn it on.
    /// </summary>
    public bool AllowPrivateNetworks { get; init; }

    public static WebhookOptions Read(IConfiguration configuration) =>
        configuration.GetSection("Ear:Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
}
