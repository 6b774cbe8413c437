using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ear.Api.Tests.Foundation;

/// <summary>One request of an .http file, as written: variables are substituted only when it is sent.</summary>
internal sealed record HttpFileRequest(string Title, string? Name, int? ExpectedStatus, string Method, string Url,
    IReadOnlyList<(string Name, string Value)> Headers, string? Body)
{
    public string Describe => $"'{Title}' ({Method} {Url})";
}

/// <summary>What a sent request gave: kept under its # @name for the requests after it.</summary>
internal sealed record HttpFileExchange(HttpFileRequest Request, Uri Url, int Status, string Body,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Runs an .http file the way Visual Studio and VS Code's REST Client do, for the subset of the syntax
/// the two share: requests separated by ###, file variables (@name = value), named requests
/// (# @name x) read back as {{x.response.body.$.a.b[0]}} and {{x.response.headers.ETag}}, and
/// {{$randomInt min max}}. One addition of ours, which both clients read as a comment: "# expect 409"
/// marks a request that is there to show an error.
/// </summary>
internal sealed partial class HttpFileRunner(IReadOnlyList<HttpFileRequest> requests, IReadOnlyDictionary<string, string> fileVariables)
{
    private readonly Dictionary<string, HttpFileExchange> _named = new(StringComparer.Ordinal);

    public IReadOnlyList<HttpFileRequest> Requests => requests;

    public IReadOnlyDictionary<string, string> FileVariables => fileVariables;

    public static HttpFileRunner Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpFileRequest>();
        var blocks = SplitIntoBlocks(text.ReplaceLineEndings("\n").Split('\n'));
        foreach (var (title, lines) in blocks)
        {
            if (ParseBlock(title, lines, variables) is { } request)
            {
                requests.Add(request);
            }
        }

        return new HttpFileRunner(requests, variables);
    }

    /// <summary>Replaces file variables, as a developer edits @ear and @key before running the file.</summary>
    public HttpFileRunner With(IReadOnlyDictionary<string, string> overrides)
    {
        var variables = new Dictionary<string, string>(fileVariables, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            if (!variables.ContainsKey(name))
            {
                throw new InvalidOperationException($"The file defines no variable @{name}.");
            }

            variables[name] = value;
        }

        return new HttpFileRunner(requests, variables);
    }

    public async Task<HttpFileExchange> SendAsync(HttpClient client, HttpFileRequest request)
    {
        var url = new Uri(Substitute(request.Url, request), UriKind.Absolute);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            var substituted = Substitute(value, request);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = substituted;
            }
            else if (!message.Headers.TryAddWithoutValidation(name, substituted))
            {
                throw new InvalidOperationException($"{request.Describe}: the header {name} cannot be sent on a request.");
            }
        }

        if (request.Body is { } body)
        {
            // REST Client joins the lines of a multipart body with CRLF, as the format requires, and
            // Visual Studio sends the file's own (CRLF on Windows): a PDF written in the file counts its
            // offsets with CRLF.
            var lineEnding = contentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true ? "\r\n" : "\n";
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Substitute(body, request).Replace("\n", lineEnding, StringComparison.Ordinal)));
            if (contentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        using var response = await client.SendAsync(message);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var exchange = new HttpFileExchange(request, url, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
        if (request.Name is { } requestName)
        {
            _named[requestName] = exchange;
        }

        return exchange;
    }

    private static List<(string Title, List<string> Lines)> SplitIntoBlocks(string[] lines)
    {
        var blocks = new List<(string Title, List<string> Lines)> { ("(before the first ###)", []) };
        foreach (var line in lines)
        {
            if (line.StartsWith("###", StringComparison.Ordinal))
            {
                blocks.Add((line[3..].Trim(), []));
            }
            else
            {
                blocks[^1].Lines.Add(line);
            }
        }

        return blocks;
    }

    private static HttpFileRequest? ParseBlock(string title, List<string> lines, Dictionary<string, string> variables)
    {
        string? name = null;
        int? expected = null;
        var index = 0;
        for (; index < lines.Count; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (FileVariable().Match(line) is { Success: true } variable)
            {
                variables[variable.Groups["name"].Value] = variable.Groups["value"].Value.Trim();
            }
            else if (NameComment().Match(line) is { Success: true } named)
            {
                name = named.Groups["name"].Value;
            }
            else if (ExpectComment().Match(line) is { Success: true } expect)
            {
                expected = int.Parse(expect.Groups["status"].Value, CultureInfo.InvariantCulture);
            }
            else if (!line.StartsWith('#') && !line.StartsWith("//", StringComparison.Ordinal))
            {
                break;
            }
        }

        if (index == lines.Count)
        {
            return name is null && expected is null
                ? null
                : throw new FormatException($"'{title}': # @name or # expect with no request after it.");
        }

        var requestLine = RequestLine().Match(lines[index].Trim());
        if (!requestLine.Success)
        {
            throw new FormatException($"'{title}': '{lines[index]}' is not a request line (METHOD URL [HTTP/version]).");
        }

        var headers = new List<(string, string)>();
        for (index++; index < lines.Count && lines[index].Trim().Length > 0; index++)
        {
            var separator = lines[index].IndexOf(':', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new FormatException($"'{title}': '{lines[index]}' is not a header (Name: value); a body follows an empty line.");
            }

            headers.Add((lines[index][..separator].Trim(), lines[index][(separator + 1)..].Trim()));
        }

        var body = string.Join('\n', lines.Skip(index + 1)).Trim('\n');
        return new HttpFileRequest(title, name, expected, requestLine.Groups["method"].Value, requestLine.Groups["url"].Value,
            headers, body.Length == 0 ? null : body);
    }

    private string Substitute(string text, HttpFileRequest request, int depth = 0)
    {
        if (depth > 10)
        {
            throw new InvalidOperationException($"{request.Describe}: file variables refer to each other in a loop.");
        }

        return Reference().Replace(text, match =>
        {
            var reference = match.Groups["reference"].Value.Trim();
            if (reference.StartsWith('$'))
            {
                return DynamicVariable(reference, request);
            }

            if (fileVariables.TryGetValue(reference, out var value))
            {
                return Substitute(value, request, depth + 1);
            }

            return RequestVariable(reference, request);
        });
    }

    private static string DynamicVariable(string reference, HttpFileRequest request)
    {
        var parts = reference.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["$randomInt", var min, var max])
        {
            return Random.Shared.Next(int.Parse(min, CultureInfo.InvariantCulture), int.Parse(max, CultureInfo.InvariantCulture))
                .ToString(CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException(
            $"{request.Describe}: {{{{{reference}}}}} is not supported; of the dynamic variables both clients know, the file uses {{{{$randomInt min max}}}}.");
    }

    private string RequestVariable(string reference, HttpFileRequest request)
    {
        var parts = RequestVariablePattern().Match(reference);
        if (!parts.Success)
        {
            throw new InvalidOperationException($"{request.Describe}: {{{{{reference}}}}} is neither a file variable nor a request variable.");
        }

        var name = parts.Groups["name"].Value;
        if (!_named.TryGetValue(name, out var earlier))
        {
            throw new InvalidOperationException($"{request.Describe}: {{{{{reference}}}}} names the request '{name}', which has not been sent before it.");
        }

        if (parts.Groups["header"].Success)
        {
            return earlier.Headers.TryGetValue(parts.Groups["header"].Value, out var header)
                ? header
                : throw new InvalidOperationException($"{request.Describe}: '{earlier.Request.Title}' answered without a {parts.Groups["header"].Value} header.");
        }

        JsonElement element;
        try
        {
            element = JsonDocument.Parse(earlier.Body).RootElement;
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"{request.Describe}: '{earlier.Request.Title}' answered {earlier.Status} without a JSON body: {earlier.Body}");
        }

        foreach (Match step in JsonPathStep().Matches(parts.Groups["path"].Value))
        {
            var found = step.Groups["property"].Success
                ? element.ValueKind == JsonValueKind.Object && element.TryGetProperty(step.Groups["property"].Value, out var property) ? property : (JsonElement?)null
                : element.ValueKind == JsonValueKind.Array && int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture) is var i && i < element.GetArrayLength() ? element[i] : null;
            element = found ?? throw new InvalidOperationException(
                $"{request.Describe}: {{{{{reference}}}}} finds nothing at '{step.Value}' in the answer of '{earlier.Request.Title}' ({earlier.Status}): {earlier.Body}");
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }

    [GeneratedRegex(@"^@(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?<value>.*)$")]
    private static partial Regex FileVariable();

    [GeneratedRegex(@"^(#|//)\s*@name\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex NameComment();

    [GeneratedRegex(@"^(#|//)\s*expect\s+(?<status>[1-5][0-9][0-9])\b")]
    private static partial Regex ExpectComment();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?<url>\S+)(\s+HTTP/[0-9.]+)?$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{\{(?<reference>[^{}]+)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\.response\.(headers\.(?<header>[A-Za-z0-9-]+)|body\.(?<path>\$(\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*))$")]
    private static partial Regex RequestVariablePattern();

    [GeneratedRegex(@"\.(?<property>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>[0-9]+)\]")]
    private static partial Regex JsonPathStep();
}
