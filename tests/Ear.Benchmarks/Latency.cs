using System.Diagnostics;
using System.Globalization;

namespace Ear.Benchmarks;

/// <summary>Sends the same request again and again and reports its latency percentiles.</summary>
internal static class Latency
{
    public static async Task<Summary> MeasureAsync(Func<Task<HttpResponseMessage>> send, int warmup, int requests)
    {
        for (var i = 0; i < warmup; i++)
        {
            (await send()).EnsureSuccessStatusCode();
        }

        var milliseconds = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await send();
            await response.Content.ReadAsByteArrayAsync();
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }

        return Summarise(milliseconds);
    }

    /// <summary>Several clients at once, each sending its share of the requests; latency of each, and throughput.</summary>
    public static async Task<(Summary Latency, double RequestsPerSecond)> MeasureConcurrentAsync(Func<int, Task<HttpResponseMessage>> send, int clients, int requests)
    {
        var milliseconds = new System.Collections.Concurrent.ConcurrentBag<double>();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; i < requests; i += clients)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await send(i);
                await response.Content.ReadAsByteArrayAsync();
                milliseconds.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                response.EnsureSuccessStatusCode();
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (Summarise([.. milliseconds]), requests / elapsed);
    }

    public static Summary Summarise(List<double> milliseconds)
    {
        milliseconds.Sort();
        return new Summary(Percentile(milliseconds, 0.50), Percentile(milliseconds, 0.95), Percentile(milliseconds, 0.99), milliseconds.Count);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal sealed record Summary(double P50, double P95, double P99, int Requests)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50,7:F1} ms   p95 {P95,7:F1} ms   p99 {P99,7:F1} ms   ({Requests} requests)");
    }
}
