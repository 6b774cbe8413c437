using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>The response headers the document names, declared once under components/headers.</summary>
internal sealed class WireHeaders : IDocumentFilter
{
    public const string ETag = "ETag";
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";
    public const string RateLimitPolicy = "RateLimit-Policy";
    public const string RateLimit = "RateLimit";
    public const string ContentDisposition = "Content-Disposition";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string WalPosition = Database.ReadReplicas.PositionHeader;
    public const string ReadFrom = Database.ReadReplicas.ServedByHeader;

    /// <summary>
    /// The operations whose handlers read through Db.ReadPreferringStandbyAsync or the matching roster (RosterSnapshot),
    /// by operationId: the route tables do not say which reads are heavy, and ReadReplicas sets the headers for them.
    /// </summary>
    public static readonly IReadOnlySet<string> HeavyReads = new HashSet<string>(StringComparer.Ordinal)
    {
        "SearchExperts", "ExportExpertsCsv", "GetSummaryReport", "GetSummaryReportCsv", "GetMemberStateReport",
        "GetMemberStateReportCsv", "MatchExperts", "MatchExpertsForAction", "PlanAction",
    };

    /// <summary>What the read-your-writes headers mean, both ways (decision 0020).</summary>
    public const string WalPositionDescription =
        "Only when the service runs with standbys (several hosts in ConnectionStrings:Ear): the primary's WAL position after this write committed. " +
        "Send it back as the Ear-Wal-Position request header on a heavy read (search, CSV export, matching, planning, reports) that must see the write.";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Actions", "Requests for peer-to-peer support, their workflow and activities."),
        ("API keys", "Issuing and revoking the keys callers authenticate with (admins)."),
        ("Audit", "The audit trail of writes, disclosures and refusals (admins)."),
        ("Changes", "The change feed: every committed change in commit order, with a cursor and long-polling."),
        ("Consent", "Consent by purpose with its history, and the processing record of what was done with an expert's data."),
        ("CVs", "Experts' CV files: upload, versions, downloads."),
        ("Deployments", "Experts booked on activities, cancellations and evaluations."),
        ("Experts", "The roster: expert profiles, search, CSV import and export, erasure."),
        ("Health", "Liveness and readiness probes, without a key."),
        ("Matching", "Ranking the roster for a mission and proposing a team."),
        ("Planning", "Staffing every activity of an action at once: a stored plan, accepted in one transaction."),
        ("Reference data", "Themes, countries, regions and languages the other resources use."),
        ("Reports", "Consolidated statistics for a period, as JSON or CSV."),
        ("Retention", "The retention policy applied by a daily job (dry run, run now) and the re-confirmation of profiles."),
        ("Webhooks", "Subscriptions that receive the change feed's events as signed POSTs, and their deliveries (admins)."),
    ];

    /// <summary>Required: sent on every answer that names them, which the tests' contract check holds the service to; the others only with standbys.</summary>
    private static readonly (string Name, string Description, string Example, bool Required)[] All =
    [
        (ETag, "The version of the resource in this answer, quoted; send it back in If-Match to change it (a CV's is its SHA-256).", "\"3\"", true),
        (Location, "The address of the resource just created.", "/api/v1/experts/0196f1a2-7c3e-7d41-9a5b-2f8e4c6d1a0b", true),
        (RetryAfter, "Seconds to wait before trying again.", "5", true),
        (RateLimitPolicy, "The budget this request draws on (IETF draft-ietf-httpapi-ratelimit-headers): \"key\" (per API key) or " +
            "\"address\" (per client address, without a valid key), q requests per w seconds.", "\"key\";q=1200;w=60", true),
        (RateLimit, "Where the caller stands in that budget: r requests remaining, t seconds until it is full again.", "\"key\";r=1187;t=42", true),
        (ContentDisposition, "attachment, with the file name the CV was uploaded under.", "attachment; filename=\"cv-v1.pdf\"", true),
        (WwwAuthenticate, "How to authenticate: an API key in the X-Api-Key header.", "ApiKey header=\"X-Api-Key\"", true),
        (WalPosition, WalPositionDescription, "0/3000148", false),
        (ReadFrom, "Only when the service runs with standbys: the role of the server that answered this heavy read, standby or primary " +
            "(the primary when no standby answers, or none had replayed the Ear-Wal-Position the request sent within 500 ms).", "standby", false),
    ];

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Servers = [new OpenApiServer { Url = "/", Description = "The service that serves this document." }];
        swaggerDoc.Tags = Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }).ToHashSet();
        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        foreach (var (name, description, example, required) in All)
        {
            swaggerDoc.Components.Headers[name] = new OpenApiHeader
            {
                Description = description,
                Required = required,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = example,
            };
        }
    }
}

/// <summary>What each status means in this API, when a route does not say more.</summary>
internal static class ResponseDescriptions
{
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [200] = "OK.",
        [201] = "Created; Location says where.",
        [304] = "Not modified: If-None-Match named the current ETag, so the copy the client holds is still good. No body.",
        [400] = "The request is malformed (a NUL in the path or query, unreadable JSON, an unknown or repeated property) or fails validation: errors names each failing field (a JSON path such as themes[0].code, or the query parameter).",
        [401] = "No valid API key was sent (none, unknown or revoked).",
        [403] = "This key's role may not do this, or a focal point acted outside its member state.",
        [404] = "Not there, or not visible to this key (a focal point sees its own member state's experts only).",
        [409] = "Refused by the state of the data; the problem says what conflicts.",
        [410] = "Gone: what the request points at is older than the service keeps.",
        [412] = "If-Match does not name the current version: read the resource again (the ETag header has the current one).",
        [413] = "The body is larger than the service accepts.",
        [415] = "The body's media type is not one this operation reads, or its charset is not UTF-8.",
        [422] = "The file was read and refused: the problem names what was found.",
        [428] = "If-Match is required.",
        [429] = "Too many requests for this key (or this address, without a valid key) this minute; Retry-After says when to try again.",
        [503] = "The database is unavailable; Retry-After says when to try again.",
    };

    public static string For(int status, string? current) =>
        Meanings.TryGetValue(status, out var meaning) && (string.IsNullOrEmpty(current) || current == ReasonPhrase(status))
            ? meaning
            : current ?? "";

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
