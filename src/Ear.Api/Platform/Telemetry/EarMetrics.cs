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
    private static long _rosterHorizonTicks = -1;

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

    public static readonly Histogram<double> RosterCatchUpLag = Meter.CreateHistogram(
        "ear.roster.catch_up.lag", "s",
        "Age of the roster's horizon when a catch-up found changes: how long the oldest change it applied may have waited for it (at most).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600] });

    public static readonly Counter<long> RosterFullLoads = Meter.CreateCounter<long>(
        "ear.roster.full_loads", "{load}", "Loads of the whole matching roster (at start, after a long idle time, after an invalidation).");

    public static readonly Counter<long> HeavyReads = Meter.CreateCounter<long>(
        "ear.database.heavy_reads", "{read}", "Heavy reads (search, CSV export, roster, reports) by the role of the server that served them.");

    public static readonly Counter<long> CvUploads = Meter.CreateCounter<long>(
        "ear.cv.uploads", "{upload}", "CV uploads by outcome (CvUploadOutcomes): stored, unchanged, or the reason for a refusal.");

    public static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "ear.rate_limit.rejections", "{request}", "Requests refused with 429, by policy (key or address).");

    public static readonly Histogram<double> ReportDuration = Meter.CreateHistogram(
        "ear.report.duration", "s", "Time to answer a report request, by report and format.", tags: null, advice: Seconds);

    static EarMetrics() =>
        Meter.CreateObservableGauge("ear.roster.size", () => Interlocked.Read(ref _rosterSize) is var size and >= 0
            ? [new Measurement<long>(size)]
            : Array.Empty<Measurement<long>>(), "{expert}", "Experts in this instance's matching roster; absent until it is loaded.");

    /// <summary>The whole roster was read at <paramref name="at"/>: <paramref name="size"/> experts.</summary>
    public static void RosterLoaded(int size, DateTimeOffset at)
    {
        RosterFullLoads.Add(1);
        Interlocked.Exchange(ref _rosterSize, size);
        Interlocked.Exchange(ref _rosterHorizonTicks, at.UtcTicks);
    }

    /// <summary>
    /// A catch-up at <paramref name="at"/> read <paramref name="changed"/> experts again (none: it still moved the
    /// horizon) and left <paramref name="size"/>. The changes it applied were committed after the previous horizon
    /// was taken, so the horizon's age bounds how long they waited: the lag, as a time, next to the count.
    /// </summary>
    public static void RosterCaughtUp(int changed, int size, DateTimeOffset at)
    {
        var previous = Interlocked.Exchange(ref _rosterHorizonTicks, at.UtcTicks);
        Interlocked.Exchange(ref _rosterSize, size);
        if (changed == 0)
        {
            return;
        }

        RosterCatchUpChanges.Record(changed);
        if (previous >= 0)
        {
            RosterCatchUpLag.Record(Math.Max(0, (at.UtcTicks - previous) / (double)TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>One CV upload ended with <paramref name="outcome"/>, one of <see cref="CvUploadOutcomes"/>.</summary>
    public static void CvUploaded(string outcome) => CvUploads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>
/// The fixed set of values of ear.cv.uploads' outcome label: a refusal's reason is free text (it names the limit or the
/// content found) and would make one time series per message, so the metric says only which kind of refusal it was.
/// </summary>
internal static class CvUploadOutcomes
{
    public const string Stored = "stored";
    public const string Unchanged = "unchanged";
    public const string NotMultipart = "not_multipart";
    public const string Malformed = "malformed";
    public const string TooLarge = "too_large";
    public const string UnsupportedType = "unsupported_type";
    public const string ActiveContent = "active_content";
    public const string Unreadable = "unreadable";
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>A refusal answered before the file was inspected (CvUpload.ReceiveAsync), by its status.</summary>
    public static string OfReceiving(int? status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => TooLarge,
        StatusCodes.Status415UnsupportedMediaType => NotMultipart,
        _ => Malformed,
    };

    /// <summary>
    /// An unreadable file is told from one whose reading went past a budget (time, decoded bytes) by the phrase
    /// CvPdf and CvDocx both use for the latter, since CvInspection.Unreadable carries no code of its own.
    /// </summary>
    public static string OfUnreadable(string reason) =>
        reason.Contains("within the limits", StringComparison.Ordinal) ? BudgetExceeded : Unreadable;
}
