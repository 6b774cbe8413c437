using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ear.Api.Auth;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>What came back for one request, and what is wrong with it (null when nothing is).</summary>
internal sealed record Outcome(FuzzRequest Request, string? IfMatch, int Status, string? ContentType, string Body, string? Failure)
{
    /// <summary>
    /// The in-memory test server could not even build the request (a NUL in the path, say): the service
    /// never saw it, and on Kestrel the server itself would refuse it with a bare 400 before the service.
    /// </summary>
    public bool Undeliverable { get; init; }
}

/// <summary>
/// Sends a plan through the real pipeline, a few requests at a time, and judges every answer by the
/// API's error contract: never a 5xx, and every error an RFC 9457 problem whose status is the HTTP status.
/// </summary>
internal sealed class FuzzRunner(HttpClient client, FuzzKeys keys, string? eTagUrl) : IDisposable
{
    public const int Concurrency = 4;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _eTagLock = new(1, 1);
    private string? _eTag;

    public void Dispose() => _eTagLock.Dispose();

    public async Task<IReadOnlyList<Outcome>> RunAsync(IReadOnlyList<FuzzRequest> plan)
    {
        _eTag = await ReadETagAsync();
        var outcomes = new Outcome[plan.Count];
        if (plan.Count == 0)
        {
            return outcomes;
        }

        // The first request goes alone, so that it meets the world as it was made (the valid request comes first).
        outcomes[0] = await SendAsync(plan[0]);
        await Parallel.ForEachAsync(Enumerable.Range(1, plan.Count - 1), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (i, _) => outcomes[i] = await SendAsync(plan[i]));
        return outcomes;
    }

    private async Task<Outcome> SendAsync(FuzzRequest request)
    {
        var ifMatch = request.CurrentETag ? _eTag : null;
        using var message = new HttpRequestMessage(request.Method, request.Url);
        if (await keys.SecretAsync(request) is { } secret)
        {
            message.Headers.TryAddWithoutValidation(ApiKeyAuthentication.HeaderName, secret);
        }

        if (request.Accept is not null)
        {
            message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        }

        if (ifMatch is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var response = await client.SendAsync(message, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (request.Method == HttpMethod.Put && status is >= 200 and < 300 or 412)
            {
                await RefreshETagAsync();
            }

            var contentType = response.Content.Headers.ContentType?.ToString();
            var body = Encoding.UTF8.GetString(bytes);
            return new Outcome(request, ifMatch, status, contentType, body, Judge(status, response.Content.Headers.ContentType, body));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new Outcome(request, ifMatch, 0, null, "", $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
#pragma warning disable CA1031 // Whatever escapes the test server is a finding to report, not a reason to stop fuzzing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (e is InvalidOperationException && e.StackTrace?.Contains("PathString.FromUriComponent", StringComparison.Ordinal) == true && e.StackTrace.Contains("TestHost.ClientHandler", StringComparison.Ordinal))
            {
                return new Outcome(request, ifMatch, 0, null, e.Message, null) { Undeliverable = true };
            }

            return new Outcome(request, ifMatch, 0, null, e.ToString(), $"no HTTP answer: {e.GetType().Name} escaped the pipeline");
        }
    }

    /// <summary>Null when the answer keeps the error contract; otherwise what is wrong, in words that group alike answers.</summary>
    public static string? Judge(int status, MediaTypeHeaderValue? contentType, string body)
    {
        if (status < 400)
        {
            return null;
        }

        var shape = Shape(contentType, body, status);
        return status >= 500 ? $"server error ({shape ?? "a well-formed problem"})" : shape;
    }

    private static string? Shape(MediaTypeHeaderValue? contentType, string body, int status)
    {
        if (contentType?.MediaType != "application/problem+json")
        {
            var what = contentType is null ? "no Content-Type" : $"Content-Type {contentType.MediaType}";
            return body.Length == 0 ? $"not a problem: {what}, empty body" : $"not a problem: {what}";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? "problem+json body is not a JSON object"
                : !document.RootElement.TryGetProperty("status", out var problemStatus) || problemStatus.ValueKind != JsonValueKind.Number
                    ? "problem+json without a status"
                    : problemStatus.TryGetInt32(out var value) && value == status
                        ? null
                        : $"problem+json status {problemStatus.GetRawText()} is not the HTTP status";
        }
        catch (JsonException)
        {
            return "problem+json body is not JSON";
        }
    }

    private async Task RefreshETagAsync()
    {
        await _eTagLock.WaitAsync();
        try
        {
            _eTag = await ReadETagAsync();
        }
        finally
        {
            _eTagLock.Release();
        }
    }

    private async Task<string?> ReadETagAsync()
    {
        if (eTagUrl is null)
        {
            return null;
        }

        using var read = new HttpRequestMessage(HttpMethod.Get, eTagUrl);
        read.Headers.TryAddWithoutValidation(ApiKeyAuthentication.HeaderName,
            await keys.SecretAsync(new FuzzRequest { Kind = "", Detail = "", Method = HttpMethod.Get, Url = eTagUrl }));
        using var response = await client.SendAsync(read);
        return response.IsSuccessStatusCode ? response.Headers.ETag?.ToString() : null;
    }
}
