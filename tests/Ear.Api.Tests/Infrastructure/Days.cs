using System.Globalization;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>
/// Days relative to the real clock's UTC date, which is the service's "today": tests that need a deployment
/// past, in progress or to come place it days or weeks away, so that a run crossing midnight changes nothing.
/// </summary>
internal static class Days
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The day <paramref name="days"/> from today as YYYY-MM-DD.</summary>
    public static string FromToday(int days) => Today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
