namespace Ear.Api.Platform.Http;

/// <summary>
/// The calendar days a request may name. Periods are widened by years and days in matching, reports
/// and overlap checks, so a date at the edge of what .NET or PostgreSQL can hold would overflow there;
/// nothing in a roster of people's careers lies outside these bounds.
/// </summary>
internal static class Dates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public const string Expected = "A date from 1900-01-01 to 2999-12-31, as YYYY-MM-DD.";

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;
}
