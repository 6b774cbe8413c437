using System.Globalization;
using System.Text;

namespace Ear.Api.Tests.Fuzzing;

internal enum Credential
{
    Admin,
    FocalPoint,
    Reader,
    None,
    Revoked,
    Garbage,

    /// <summary>A reader key that has used up its requests of the minute: the rate limiter answers.</summary>
    RateLimited,
}

/// <summary>
/// One request the fuzzer sends, described so that it can be printed and sent again by hand:
/// <see cref="Kind"/> is the family of mutation (failures are grouped by it), <see cref="Detail"/> the
/// one change this request makes.
/// </summary>
internal sealed record FuzzRequest
{
    public required string Kind { get; init; }

    public required string Detail { get; init; }

    public required HttpMethod Method { get; init; }

    /// <summary>Relative to the service, path and query already percent-encoded as they go on the wire.</summary>
    public required string Url { get; init; }

    public Credential Credential { get; init; } = Credential.Admin;

    /// <summary>The X-Api-Key value when <see cref="Credential"/> is Garbage; null sends no header at all.</summary>
    public string? GarbageKey { get; init; }

    /// <summary>Null sends no Accept header.</summary>
    public string? Accept { get; init; } = "application/json";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Null with a <see cref="ContentType"/> sends an empty body with that type; both null send no content.</summary>
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>If-Match carries the resource's current ETag, read when the request is sent.</summary>
    public bool CurrentETag { get; init; }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The request as one would type it again: method, URL, headers, the body cut to <paramref name="bodyChars"/>.</summary>
    public string Describe(string? ifMatch, int bodyChars = 400)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Method} {Url}\n");
        text.Append(CultureInfo.InvariantCulture, $"    X-Api-Key: {CredentialText()}\n");
        if (Accept is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    Accept: {Shorten(Accept, 200)}\n");
        }

        if (ifMatch is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    If-Match: {Shorten(ifMatch, 200)}\n");
        }

        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {name}: {Shorten(value, 200)}\n");
        }

        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    Content-Type: {Shorten(ContentType, 200)}\n");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"    body ({Body.Length:N0} bytes): {Shorten(Printable(Body), bodyChars)}\n");
        }
        else if (ContentType is not null)
        {
            text.Append("    body: (empty)\n");
        }

        return text.ToString();
    }

    private string CredentialText() => Credential switch
    {
        Credential.None => "(no header)",
        Credential.Garbage => GarbageKey is null ? "(no header)" : $"\"{Shorten(GarbageKey, 80)}\" (not a key)",
        Credential.Revoked => "<a revoked reader key>",
        Credential.RateLimited => "<a reader key past its rate limit>",
        Credential.FocalPoint => "<a focal point key of FR>",
        Credential.Admin => "<an admin key>",
        _ => $"<a {Credential.ToString().ToLowerInvariant()} key>",
    };

    /// <summary>Bytes as text, with what a terminal would swallow (NUL, control characters) made visible.</summary>
    public static string Printable(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        var printable = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            printable.Append(c is '\n' or '\r' ? (c == '\n' ? "\\n" : "\\r") : char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return printable.ToString();
    }

    public static string Shorten(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length:N0} chars)");
}
