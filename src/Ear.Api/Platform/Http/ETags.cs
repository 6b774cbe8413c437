using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Platform.Http;

/// <summary>
/// Optimistic concurrency: a resource's ETag is its version number; a replacement must send it back
/// in If-Match, so that two writers never silently overwrite each other.
/// </summary>
internal static class ETags
{
    public static void Set(HttpContext context, int version) =>
        context.Response.Headers.ETag = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version If-Match asks for: a number, null for "*" (any version), or a problem when the
    /// header is missing (428) or is not one of our ETags (412).
    /// </summary>
    public static (int? Version, ProblemHttpResult? Problem) ExpectedVersion(HttpContext context)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match is required.",
                detail: "Send the ETag of the version you changed (from GET) in If-Match, so that no one else's change is overwritten."));
        }

        if (ifMatch == "*")
        {
            return (null, null);
        }

        var tag = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (version, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The If-Match value is not an ETag of this resource."));
    }

    public static ProblemHttpResult Stale(HttpContext context, int currentVersion)
    {
        Set(context, currentVersion);
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The resource has changed since you read it.",
            detail: $"Your If-Match was {context.Request.Headers.IfMatch}; the current ETag is \"{currentVersion}\". Read it again and reapply your change.");
    }
}
