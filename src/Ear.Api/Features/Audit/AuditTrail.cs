using Dapper;
using Ear.Api.Auth;
using Npgsql;

namespace Ear.Api.Features.Audit;

/// <summary>
/// Records, after the answer is decided, every write (whatever its outcome), every read of a CV or of
/// an expert's data export, and every refused authorization. An entry names the key and its role,
/// the operation, the target and the status; never a body, so it holds no personal data itself.
/// </summary>
internal static class AuditTrail
{
    /// <summary>Reads that disclose personal data in bulk or in files, and so are audited like writes.</summary>
    private static readonly HashSet<string> AuditedReads = new(StringComparer.Ordinal)
    {
        "DownloadCv", "DownloadCvVersion", "ExportExpertData", "ListAuditEntries",
    };

    /// <summary>POSTs that only read (the body is a query too long for a URL): not writes, and not audited as such.</summary>
    private static readonly HashSet<string> ReadsByPost = new(StringComparer.Ordinal)
    {
        "MatchExperts",
    };

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
        var entry = new
        {
            KeyId = caller?.KeyId,
            caller?.Role,
            Action = name ?? $"{context.Request.Method} {endpoint?.DisplayName ?? "unmatched"}",
            context.Request.Method,
            Path = context.Request.Path.Value ?? "",
            TargetType = TargetType(context.Request.Path),
            TargetId = TargetId(context),
            StatusCode = status,
            Outcome = refused ? "refused" : status is >= 200 and < 300 ? "succeeded" : "failed",
        };
        try
        {
            var dataSource = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("""
                INSERT INTO audit_entries (at, key_id, role, action, method, path, target_type, target_id, status_code, outcome)
                VALUES (now(), @KeyId, @Role, @Action, @Method, @Path, @TargetType, @TargetId, @StatusCode, @Outcome)
                """, entry);
        }
        catch (NpgsqlException e)
        {
            // The answer has gone out; a lost entry must at least reach the logs.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ear.Audit")
                .LogError(e, "Could not record the audit entry {@Entry}.", entry);
        }
    });

    /// <summary>experts, actions, activities, deployments or api-keys: the collection the path names.</summary>
    private static string? TargetType(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 ? segments[2] : null;
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
