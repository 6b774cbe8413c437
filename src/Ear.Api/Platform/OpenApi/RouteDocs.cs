namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// What a route's answers carry beyond its body, declared in the route table and read by
/// <see cref="WireOperationFilter"/>: the handler writes these headers and bodies itself, so nothing
/// in its signature says so.
/// </summary>
internal static class RouteDocs
{
    /// <summary>The answer's ETag header carries the resource's version (a CV's SHA-256).</summary>
    public static RouteHandlerBuilder ProducesETag(this RouteHandlerBuilder builder) => builder.WithMetadata(new ETagHeader());

    /// <summary>The request must send If-Match: 428 without it, 412 when it is stale.</summary>
    public static RouteHandlerBuilder NeedsIfMatch(this RouteHandlerBuilder builder) => builder.WithMetadata(new IfMatchHeader());

    /// <summary>With Accept: text/csv the 200 answer is CSV instead of JSON.</summary>
    public static RouteHandlerBuilder ProducesCsv(this RouteHandlerBuilder builder, string description) =>
        builder.WithMetadata(new CsvAlternative(description));

    /// <summary>
    /// The 200 answer is CSV and nothing else: the operation a generated client calls for CSV, since such a client
    /// sends the Accept header its generator chose (NSwag: application/json wherever JSON is offered).
    /// </summary>
    public static RouteHandlerBuilder ProducesCsvOnly(this RouteHandlerBuilder builder, string description) =>
        builder.WithMetadata(new CsvOnly(description));

    /// <summary>The 200 answer is a file of one of these types, named in Content-Disposition.</summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithMetadata(new FileDownload(contentTypes));

    /// <summary>The 200 answer carries a file's headers (HEAD): Content-Type, Content-Length and Content-Disposition, no body.</summary>
    public static RouteHandlerBuilder ProducesFileHeaders(this RouteHandlerBuilder builder) => builder.WithMetadata(new FileHeaders());

    /// <summary>The body is multipart/form-data with one required file field.</summary>
    public static RouteHandlerBuilder AcceptsFile(this RouteHandlerBuilder builder, string field, string description) =>
        builder.WithMetadata(new FileUpload(field, description));

    internal sealed record ETagHeader;

    internal sealed record IfMatchHeader;

    internal sealed record CsvAlternative(string Description);

    internal sealed record CsvOnly(string Description);

    internal sealed record FileDownload(IReadOnlyList<string> ContentTypes);

    internal sealed record FileUpload(string Field, string Description);

    internal sealed record FileHeaders;
}
