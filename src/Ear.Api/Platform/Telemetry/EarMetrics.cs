using System.Diagnostics.Metrics;

namespace Ear.Api.Platform.Telemetry;

/// <summary>
/// EAR's own measurements, beside the framework's request, HTTP client and Npgsql metrics. Static, like
/// the runtime's own meters, so that the engine's call sites stay one line; exported by whatever
/// EarTelemetry configures (Prometheus scrape, OTLP).
/// </summary>
internal static class EarMetrics
{
    public const string MeterName = "Ear.Api";

    private static readonly Meter Meter = new(MeterName);
    private static long _rosterSize = -1;

    /// <summary>Seconds, from 5 ms to 10 s: the SDK's default buckets are milliseconds' (0 to 10,000) and would put every request in the first.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
    };

    public static readonly Histogram<double> MatchingDuration = Meter.CreateHistogram(
        "ear.matching.duration", "s", "Time to answer a matching request, roster catch-up included.", tags: null, advice: Seconds);

    public static readonly Counter<long> MatchingCandidatesScored = Meter.CreateCounter<long>(
        "ear.matching.candidates_scored", "{expert}", "Experts that passed the hard rules and were scored.");

    public static readonly Histogram<long> RosterCatchUpChanges = Meter.CreateHistogram<long>(
        "ear.roster.catch_up.changes", "{expert}", "Experts read again by one catch-up of the matching roster: how far behind it was.");

    public static readonly Counter<long> RosterFullLoads = Meter.CreateCounter<long>(
        "ear.roster.full_loads", "{load}", "Loads of the whole matching roster (at start, after a long idle time, after an invalidation).");

    public static readonly Counter<long> CvUploads = Meter.CreateCounter<long>(
        "ear.cv.uploads", "{upload}", "CV uploads by outcome: stored, unchanged, or the reason for a refusal.");

    public static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "ear.rate_limit.rejections", "{request}", "Requests refused with 429, by policy (key or address).");

    public static readonly Histogram<double> ReportDuration = Meter.CreateHistogram(
        "ear.report.duration", "s", "Time to answer a report request, by report and format.", tags: null, advice: Seconds);

    static EarMetrics() =>
        Meter.CreateObservableGauge("ear.roster.size", () => Interlocked.Read(ref _rosterSize) is var size and >= 0
            ? [new Measurement<long>(size)]
            : Array.Empty<Measurement<long>>(), "{expert}", "Experts in this instance's matching roster; absent until it is loaded.");

    /// <summary>The whole roster was read: <paramref name="size"/> experts.</summary>
    public static void RosterLoaded(int size)
    {
        RosterFullLoads.Add(1);
        Interlocked.Exchange(ref _rosterSize, size);
    }

    /// <summary>A catch-up read <paramref name="changed"/> experts again and left <paramref name="size"/>.</summary>
    public static void RosterCaughtUp(int changed, int size)
    {
        RosterCatchUpChanges.Record(changed);
        Interlocked.Exchange(ref _rosterSize, size);
    }
}
