using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>
/// A webhook subscriber: Kestrel in the test process on a loopback port. It checks each delivery's Standard
/// Webhooks signature against the secret it is told, keeps every delivery it accepted in arrival order, and
/// answers with <see cref="Status"/> (a test makes it fail).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>One POST as it arrived: its webhook-id, whether its signature verified, and its body.</summary>
    internal sealed record Delivery(string Id, bool SignatureValid, JsonElement Body);

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/ear");

    public string? Secret { get; set; }

    public HttpStatusCode Status { get; set; } = HttpStatusCode.NoContent;

    /// <summary>How long to hold each accepted delivery before answering: a sender killed meanwhile has sent it but not recorded it.</summary>
    public TimeSpan AnswerDelay { get; set; }

    public IReadOnlyList<Delivery> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/ear", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var status = Status;
        if ((int)status >= 300)
        {
            return Results.StatusCode((int)status);
        }

        var id = request.Headers["webhook-id"].ToString();
        _received.Enqueue(new Delivery(id, Verifies(id, request.Headers["webhook-timestamp"].ToString(), request.Headers["webhook-signature"].ToString(), body),
            JsonDocument.Parse(body).RootElement.Clone()));
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay);
        }

        return Results.StatusCode((int)status);
    }

    /// <summary>The Standard Webhooks check, written from the specification rather than from the service's code.</summary>
    private bool Verifies(string id, string timestamp, string signatures, string body)
    {
        if (Secret is null || !Secret.StartsWith("whsec_", StringComparison.Ordinal) || id.Length == 0 || timestamp.Length == 0)
        {
            return false;
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatures.Split(' ').Any(s => s == $"v1,{expected}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
