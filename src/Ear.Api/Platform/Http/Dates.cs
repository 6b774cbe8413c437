using System.Globalization;

namespace Ear.Api.Platform.Http;

/// <summary>
/// The calendar days a request may name, and the one way they are read (JSON bodies, query strings, CSV
/// cells). Periods are widened by years and days in matching, reports and overlap checks, so a date at the
/// edge of what .NET or PostgreSQL can hold would overflow there; nothing in a roster of people's careers
/// lies outside these bounds.
/// </summary>
internal static class Dates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public const string Expected = "A date from 1900-01-01 to 2999-12-31, as YYYY-MM-DD.";

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>YYYY-MM-DD (surrounding spaces allowed) within the bounds.</summary>
    public static bool TryParse(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && InRange(date);
}
