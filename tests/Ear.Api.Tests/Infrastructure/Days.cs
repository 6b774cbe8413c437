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

/// <summary>Rate-limit budgets last one clock minute (MinuteBudgets): a test that spends one must not straddle two.</summary>
internal static class RateLimitWindows
{
    /// <summary>Waits, when less than 15 seconds are left in the current minute, for the next one to begin.</summary>
    public static async Task WaitForRoomInTheMinuteAsync()
    {
        var now = DateTime.UtcNow;
        if (now.Second >= 45)
        {
            await Task.Delay(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromMilliseconds(100));
        }
    }
}
