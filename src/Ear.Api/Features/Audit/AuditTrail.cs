using Ear.Api.Auth;
using Ear.Api.Platform.Http;
using Npgsql;

namespace Ear.Api.Features.Audit;

/// <summary>
/// Records, after the answer is decided, every write (whatever its outcome), every read that discloses
/// personal data in files or in bulk, and every refused authorization. An entry names the key and its
/// role, the client address, the operation, the target and the status; never a body, so it holds no
/// personal data itself.
/// </summary>
internal static class AuditTrail
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Refused by authentication, authorization or the rate limit.</summary>
    public const string Refused = "refused";

    public static readonly IReadOnlyList<string> Outcomes = [Succeeded, Failed, Refused];

    /// <summary>Reads that disclose personal data in bulk or in files, and so are audited like writes.</summary>
    private static readonly HashSet<string> AuditedReads = new(StringComparer.Ordinal)
    {
        "DownloadCv", "DownloadCvVersion", "ExportExpertData", "ExportExpertsCsv", "ListAuditEntries", "SearchExperts",
        "GetExpertProcessing", "ListReconfirmations", "ExportReconfirmationsCsv",
    };

    /// <summary>Audited reads whose query string is the filter that decided what was disclosed.</summary>
    private static readonly HashSet<string> FilteredReads = new(StringComparer.Ordinal)
    {
        "ExportExpertsCsv", "SearchExperts", "ListReconfirmations", "ExportReconfirmationsCsv",
    };

    /// <summary>POSTs that only read (the body is a query too long for a URL): not writes, and not audited as such.</summary>
    private static readonly HashSet<string> ReadsByPost = new(StringComparer.Ordinal)
    {
        "MatchExperts",
    };

    private const int MaxFilterLength = 500;

    private const string PurposeItem = "ear:audit-purpose";

    /// <summary>What a CV download was for, recorded in its audit entry (docs/decisions/0022).</summary>
    public static void RecordPurpose(HttpContext context, string purpose) => context.Items[PurposeItem] = purpose;

    public static void UseEarAudit(this WebApplication app) => app.Use(async (context, next) =>
    {
        await next(context);
        var endpoint = context.GetEndpoint();
        var name = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var status = context.Response.StatusCode;
        var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
        var write = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && !(name is not null && ReadsByPost.Contains(name));
        if (!context.Request.Path.StartsWithSegments("/api") || !(refused || write || (name is not null && AuditedReads.Contains(name))))
        {
            return;
        }

        var caller = context.User.Identity?.IsAuthenticated == true ? Caller.From(context.User) : null;
        var entry = new NewAuditEntry(
            KeyId: caller?.KeyId,
            Role: caller?.Role,
            Action: name ?? $"{context.Request.Method} {(endpoint is null ? "unmatched" : LogText.Cut(endpoint.DisplayName ?? "", 100))}",
            Method: context.Request.Method,
            Path: LogText.Path(context.Request.Path),
            TargetType: TargetType(context.Request.Path),
            TargetId: TargetId(context),
            StatusCode: status,
            Outcome: refused ? Refused : status is >= 200 and < 400 ? Succeeded : Failed,
            ClientAddress: ClientAddresses.Of(context),
            Filter: name is not null && FilteredReads.Contains(name) ? Filter(context.Request.Query) : null,
            Purpose: context.Items.TryGetValue(PurposeItem, out var purpose) ? purpose as string : null);
        try
        {
            var dataSource = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await AuditWrites.InsertAsync(connection, entry);
        }
        catch (NpgsqlException e)
        {
            // The answer has gone out; a lost entry must at least reach the logs.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Audit")
                .LogError(e, "Could not record the audit entry {@Entry}.", entry);
        }
    });

    /// <summary>The query string as sent, with the free-text words withheld: a search for a name would put the name in the audit.</summary>
    private static string? Filter(IQueryCollection query)
    {
        var parts = query.SelectMany(p => p.Value.Select(v => p.Key == "q" ? $"q=({v?.Length ?? 0} characters withheld)" : $"{p.Key}={v}"));
        var filter = string.Join('&', parts);
        return filter.Length == 0 ? null : LogText.Cut(filter, MaxFilterLength);
    }

    /// <summary>experts, actions, activities, deployments or api-keys: the collection the path names (experts.csv names experts).</summary>
    private static string? TargetType(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 ? LogText.Cut(Path.GetFileNameWithoutExtension(segments[2]), 40) : null;
    }

    /// <summary>The id in the route, or for a creation the id at the end of its Location.</summary>
    private static Guid? TargetId(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("id", out var value) && Guid.TryParse(value?.ToString(), out var id))
        {
            return id;
        }

        var location = context.Response.Headers.Location.ToString();
        return Guid.TryParse(location[(location.LastIndexOf('/') + 1)..], out var created) ? created : null;
    }
}
