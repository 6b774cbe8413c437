using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using NJsonSchema;
using NJsonSchema.Validation;
using NSwag;

namespace Ear.Api.Tests.Infrastructure.Contract;

/// <summary>
/// Checks an HTTP exchange against an OpenAPI 3.0 document: the status is declared for the operation (or by a
/// range such as 4XX, or by <c>default</c>), the media type is declared, a JSON body is valid against the
/// declared schema, and every response header declared required is present.
/// </summary>
/// <remarks>
/// NSwag.Core reads the document (it is the OpenAPI model of the NSwag toolchain, maintained since 2015) and
/// resolves every $ref into NJsonSchema schemas, whose validator reports each error with its kind and JSON
/// path: less to get wrong here than a hand-written $ref resolver and validator. Loaded through NSwag as an OpenAPI 3 document, <c>nullable: true</c> is read into the schemas, and a
/// property that says it accepts null, also around a reference: written as EAR writes it,
/// <c>{ "oneOf": [ { "$ref": ... }, { "type": "object", "nullable": true, "enum": [ null ] } ] }</c>, or
/// <c>{ "allOf": [ { "$ref": ... } ], "nullable": true }</c> (the self-tests pin all three). One gap, which EAR's document does not meet: an array item written that way
/// still refuses null, because NJsonSchema resolves the item to the referenced schema first.
/// </remarks>
internal sealed partial class ContractValidator
{
    private const int ErrorsShown = 5;

    private static readonly Lazy<Task<ContractValidator>> CommittedDocument =
        new(() => FromFileAsync(RepositoryRoot.Find("openapi/ear.v1.json")));

    private readonly IReadOnlyList<Route> _routes;
    private readonly JsonSchemaValidator _schemaValidator = new();

    private ContractValidator(OpenApiDocument document)
    {
        _routes = [.. document.Operations.Select(o => new Route(
            o.Method.ToUpperInvariant(),
            o.Path,
            Segments(o.Path),
            o.Operation,
            o.Operation.ActualParameters
                .Where(p => p.Kind == OpenApiParameterKind.Path)
                .ToDictionary(p => p.Name, p => p.ActualSchema, StringComparer.Ordinal)))];
    }

    /// <summary>The committed openapi/ear.v1.json, read once per run.</summary>
    public static Task<ContractValidator> Committed => CommittedDocument.Value;

    public static async Task<ContractValidator> FromFileAsync(string path) => new(await OpenApiDocument.FromFileAsync(path));

    public static async Task<ContractValidator> FromJsonAsync(string json) => new(await OpenApiDocument.FromJsonAsync(json));

    public async Task<ContractVerdict> CheckAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var method = request.Method.Method.ToUpperInvariant();
        var path = request.RequestUri?.AbsolutePath ?? "/";
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;

        if (request.Method == HttpMethod.Head || path.StartsWith("/swagger", StringComparison.OrdinalIgnoreCase))
        {
            return new ContractVerdict(ContractOutcome.Skipped, $"{method} {path}", status, mediaType, []);
        }

        if (Match(method, path) is not { } route)
        {
            return new ContractVerdict(ContractOutcome.Unmatched, $"{method} {Generalise(path)}", status, mediaType, []);
        }

        var violations = new List<ContractViolation>();
        if (DeclaredResponse(route.Operation, status) is not { } declared)
        {
            violations.Add(new ContractViolation(
                $"undeclared status (declared: {string.Join(", ", route.Operation.ActualResponses.Keys)})", null));
        }
        else
        {
            await CheckContentAsync(declared, response, mediaType, violations, cancellationToken);
            CheckHeaders(declared, response, violations);
        }

        return new ContractVerdict(ContractOutcome.Checked, route.Label, status, mediaType, violations);
    }

    private Route? Match(string method, string path)
    {
        var segments = Segments(path);
        return _routes
            .Where(r => r.Method == method && r.Matches(segments))
            .OrderByDescending(r => r.LiteralCount)
            .FirstOrDefault();
    }

    /// <summary>An exact status, then its range (4XX), then <c>default</c>: the order OpenAPI gives them.</summary>
    private static OpenApiResponse? DeclaredResponse(OpenApiOperation operation, int status)
    {
        var responses = operation.ActualResponses;
        foreach (var key in new[] { status.ToString(CultureInfo.InvariantCulture), $"{status / 100}XX", "default" })
        {
            var found = responses.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase));
            if (found.Value is not null)
            {
                return found.Value.ActualResponse;
            }
        }

        return null;
    }

    private async Task CheckContentAsync(
        OpenApiResponse declared, HttpResponseMessage response, string? mediaType, List<ContractViolation> violations, CancellationToken cancellationToken)
    {
        var declaredTypes = declared.Content.Keys.ToList();
        if (declaredTypes.Count == 0)
        {
            if (mediaType is not null && await BodyAsync(response, cancellationToken) is { Length: > 0 })
            {
                violations.Add(new ContractViolation($"body of {mediaType} where the response declares no content", null));
            }

            return;
        }

        var declaredList = string.Join(", ", declaredTypes);
        if (mediaType is null)
        {
            var empty = await BodyAsync(response, cancellationToken) is { Length: 0 };
            violations.Add(new ContractViolation(
                empty ? $"empty body (declared: {declaredList})" : $"body without Content-Type (declared: {declaredList})", null));
            return;
        }

        if (declaredTypes.FirstOrDefault(t => Covers(t, mediaType)) is not { } declaredType)
        {
            violations.Add(new ContractViolation($"undeclared media type {mediaType} (declared: {declaredList})", null));
            return;
        }

        if (!IsJson(mediaType) || declared.Content[declaredType].Schema is not { } schema)
        {
            return;
        }

        var body = await BodyAsync(response, cancellationToken);
        ICollection<ValidationError> errors;
        try
        {
            errors = _schemaValidator.Validate(body, schema.ActualSchema, SchemaType.OpenApi3);
        }
        catch (JsonReaderException e)
        {
            violations.Add(new ContractViolation($"body is not JSON ({mediaType})", $"body is not JSON ({mediaType}): {e.Message}"));
            return;
        }

        violations.AddRange(Flatten(errors)
            .Take(ErrorsShown)
            .Select(e => new ContractViolation(
                $"schema: {e.Kind} at {ArrayIndex().Replace(e.Path ?? "#", "[]")}{Found(e)}", $"schema: {e.Kind} at {e.Path}{Found(e)}")));
    }

    /// <summary>What a type error found instead, since "ObjectExpected" reads the same for a null as for a string.</summary>
    private static string Found(ValidationError error) =>
        error.Kind.ToString().EndsWith("Expected", StringComparison.Ordinal) && error.Token is { } token
            ? $" (found {token.Type.ToString().ToLowerInvariant()})"
            : "";

    /// <summary>
    /// Every header declared required must be sent: the document declares it so that clients can rely on it. The
    /// others are sent only in some deployments (Ear-Wal-Position, Ear-Read-From: with standbys).
    /// Content-Type is described by the content map, and OpenAPI says to ignore it among headers.
    /// </summary>
    private static void CheckHeaders(OpenApiResponse declared, HttpResponseMessage response, List<ContractViolation> violations)
    {
        foreach (var name in declared.Headers.Where(h => h.Value.ActualParameter.IsRequired).Select(h => h.Key)
                     .Where(h => !h.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            if (!response.Headers.NonValidated.Contains(name) && !response.Content.Headers.NonValidated.Contains(name))
            {
                violations.Add(new ContractViolation($"missing header {name}", null));
            }
        }
    }

    /// <summary>The body, buffered so that the test reads it again afterwards.</summary>
    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        if (encoding is null)
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }

        // A compressed answer (the client asked for it) is checked as the client reads it, decompressed.
        var compressed = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using Stream plain = encoding switch
        {
            "br" => new System.IO.Compression.BrotliStream(compressed, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
            "gzip" => new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
            _ => throw new InvalidOperationException($"The service answered with Content-Encoding {encoding}, which it does not offer."),
        };
        using var reader = new StreamReader(plain);
        var text = await reader.ReadToEndAsync(cancellationToken);
        compressed.Position = 0;
        return text;
    }

    /// <summary>
    /// An error about an array item or a composite (allOf, anyOf, oneOf) is shown by the errors inside it, of the
    /// branch that came closest, which name the property at fault.
    /// </summary>
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError composite
            && composite.Errors.Values.Where(branch => branch.Count > 0).MinBy(branch => branch.Count) is { } closest
            ? Flatten(closest)
            : [e]);

    private static bool Covers(string declared, string actual)
    {
        var range = MediaTypeHeaderValue.TryParse(declared, out var parsed) ? parsed.MediaType ?? declared : declared;
        return range == "*/*"
            || range.Equals(actual, StringComparison.OrdinalIgnoreCase)
            || (range.EndsWith("/*", StringComparison.Ordinal) && actual.StartsWith(range[..^1], StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static string[] Segments(string path) =>
        path.Length > 1 ? path.TrimEnd('/').Split('/') : [""];

    /// <summary>A path no operation matches, with ids folded so that the summary groups it.</summary>
    private static string Generalise(string path) => string.Join('/', Segments(path).Select(s =>
        Guid.TryParse(s, out _) ? "{uuid}"
        : s.Length > 0 && s.All(char.IsAsciiDigit) ? "{n}"
        : s.Length > 40 ? s[..40] + "…"
        : s));

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ArrayIndex();

    private sealed record Route(string Method, string Template, string[] TemplateSegments, OpenApiOperation Operation, Dictionary<string, JsonSchema> Parameters)
    {
        public int LiteralCount { get; } = TemplateSegments.Count(s => !IsParameter(s));

        public string Label => Operation.OperationId is { Length: > 0 } id ? $"{Method} {Template} ({id})" : $"{Method} {Template}";

        /// <summary>
        /// Literal segments compare as ASP.NET routing does (ignoring case); a parameter segment must read as its
        /// declared type, so that /experts/import is not taken for /experts/{id} with id a uuid.
        /// </summary>
        public bool Matches(string[] segments) =>
            segments.Length == TemplateSegments.Length
            && TemplateSegments.Zip(segments).All(pair => IsParameter(pair.First)
                ? Fits(Uri.UnescapeDataString(pair.Second), Parameters.GetValueOrDefault(pair.First[1..^1]))
                : pair.First.Equals(Uri.UnescapeDataString(pair.Second), StringComparison.OrdinalIgnoreCase));

        private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

        private static bool Fits(string value, JsonSchema? schema) => value.Length > 0 && schema switch
        {
            { Type: var type } when type.HasFlag(JsonObjectType.Integer) =>
                long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            { Format: "uuid" or "guid" } => Guid.TryParse(value, out _),
            _ => true,
        };
    }
}

internal enum ContractOutcome
{
    /// <summary>HEAD requests and the OpenAPI document and UI under /swagger: outside the contract by design.</summary>
    Skipped,

    /// <summary>No operation of the document has this method and path; recorded, not checked.</summary>
    Unmatched,

    Checked,
}

/// <summary>One kind of non-conformance: <see cref="Kind"/> groups the summary (array indices folded); <see cref="Detail"/>, when given, is this instance.</summary>
internal sealed record ContractViolation(string Kind, string? Detail);

/// <summary>What the validator made of one exchange. <see cref="Subject"/> is the operation, or the generalised path.</summary>
internal sealed record ContractVerdict(
    ContractOutcome Outcome, string Subject, int Status, string? MediaType, IReadOnlyList<ContractViolation> Violations)
{
    public bool Conforms => Violations.Count == 0;

    public string Describe() =>
        $"{Subject} answered {Status} {MediaType ?? "(no Content-Type)"}, which does not conform to openapi/ear.v1.json:"
        + string.Concat(Violations.Select(v => $"{Environment.NewLine}  - {v.Detail ?? v.Kind}"));
}
