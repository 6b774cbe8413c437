using Ear.Api.Platform.Http;
using System.Net.Http.Headers;
using System.Text;
using Ear.Api.Platform.Database;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ear.Api.Features.Webhooks;

/// <summary>
/// Sends one delivery: signed (Standard Webhooks headers), each attempt under a timeout, retried with
/// exponential backoff and jitter (Polly) until Ear:Webhooks:MaxAttempts, then dead-lettered. Every attempt's
/// outcome is written down before the next wait, so a restart resumes with the attempts already spent.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, WebhookOptions options, Db db, TimeProvider time)
{
    public const string ClientName = "webhooks";

    /// <summary>An attempt's outcome: a 2xx answer, or why not.</summary>
    private sealed record Attempt(bool Delivered, int? StatusCode, string? Error);

    public async Task DeliverAsync(Guid subscriptionId, WebhookDueRow due, CancellationToken cancellationToken)
    {
        var attempts = due.Attempts;
        var pipeline = new ResiliencePipelineBuilder<Attempt>()
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                ShouldHandle = new PredicateBuilder<Attempt>().HandleResult(a => !a.Delivered).Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = Math.Max(0, options.MaxAttempts - attempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.FirstRetryDelayMilliseconds),
                MaxDelay = TimeSpan.FromSeconds(options.MaxRetryDelaySeconds),
                OnRetry = args => new ValueTask(RecordAsync(due.Id, WebhookDeliveryStatuses.Pending, attempts, Describe(args.Outcome),
                    time.GetUtcNow() + args.RetryDelay, args.Context.CancellationToken)),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
            .Build();

        var outcome = await pipeline.ExecuteOutcomeAsync(async (context, _) =>
        {
            attempts++;
            try
            {
                return Outcome.FromResult(await SendAsync(due, context.CancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Outcome.FromException<Attempt>(e is OperationCanceledException ? new TimeoutRejectedException("The attempt timed out.", e) : e);
            }
        }, ResilienceContextPool.Shared.Get(cancellationToken), state: 0);

        cancellationToken.ThrowIfCancellationRequested();
        var delivered = outcome.Result is { Delivered: true };
        await RecordAsync(due.Id,
            delivered ? WebhookDeliveryStatuses.Delivered : WebhookDeliveryStatuses.DeadLettered,
            attempts, delivered ? (null, outcome.Result!.StatusCode) : Describe(outcome), time.GetUtcNow(), cancellationToken);
    }

    private async Task<Attempt> SendAsync(WebhookDueRow due, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, due.Url)
        {
            Content = new StringContent(due.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        var id = due.EventId.ToString();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(due.Secret, id, timestamp, due.Body));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? new Attempt(true, status, null) : new Attempt(false, status, $"Answered {status}.");
    }

    private async Task RecordAsync(Guid deliveryId, string status, int attempts, (string? Error, int? StatusCode) failure, DateTimeOffset nextAttemptAt,
        CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            await WebhooksWrites.RecordAttemptAsync(connection, transaction, deliveryId, status, attempts, failure.Error, failure.StatusCode, nextAttemptAt, token);
            return true;
        }, cancellationToken);

    private static (string? Error, int? StatusCode) Describe(Outcome<Attempt> outcome) =>
        outcome.Exception is { } e ? (LogText.Cut(e.Message, 500), null) : (outcome.Result?.Error, outcome.Result?.StatusCode);

}
