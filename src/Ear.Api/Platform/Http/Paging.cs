using System.Globalization;
using Ear.Api.Platform.Errors;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Platform.Http;

internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The cursor and limit of a keyset-paged listing, each checked and named when wrong.</summary>
    public static (Guid? After, int Limit) Read(ValidationErrors errors, string? cursor, string? limitText)
    {
        var limit = DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"A whole number from 1 to {MaxLimit}.");
        }

        Guid? after = null;
        if (cursor is not null && (after = Cursor.Decode(cursor)) is null)
        {
            errors.Add("cursor", "Not a cursor this API issued: pass the nextCursor of the previous page unchanged.");
        }

        return (after, limit);
    }

    /// <summary>Whether the client asked for CSV (Accept: text/csv) rather than JSON.</summary>
    public static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
