using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// Every request the fuzzer sends to one operation, derived from the contract and a seed: the same seed
/// and world give the same requests in the same order. Each family changes one thing of a valid request
/// (the credential and Accept header, a path or query parameter, a place in the body, the body's text or
/// media type, If-Match); the last family combines several changes at random.
/// </summary>
internal sealed class RequestPlan
{
    public const int DefaultSeed = 20261123;
    public const int RandomCombinations = 40;

    private static readonly string?[] SweepAccepts =
        [null, "application/json", "text/csv", "application/pdf", "text/html", "*/*", "application/xml", "garbage"];

    private static readonly string[] OtherAccepts =
    [
        "application/problem+json", "text/html, application/xhtml+xml, */*;q=0.8", "application/json;q=0", "text/*",
        "application/*", "image/png", ";;;", "text/csv; charset=junk", new('a', 5000),
    ];

    private static readonly Dictionary<string, string> ValidQueryValues = new(StringComparer.Ordinal)
    {
        ["theme"] = "irregular", ["language"] = "fr", ["minLevel"] = "B2", ["origin"] = "eu", ["kind"] = "eu_civil_servant",
        ["nationality"] = "FR", ["memberState"] = "FR", ["countryOfExperience"] = "PE", ["regionOfExperience"] = "latin_america_caribbean",
        ["availableFrom"] = "2025-04-01", ["availableTo"] = "2025-04-30", ["q"] = "border", ["limit"] = "5",
        ["region"] = "latin_america_caribbean", ["country"] = "PE", ["from"] = "2025-01-01", ["to"] = "2025-12-31",
    };

    private readonly Operation _operation;
    private readonly FuzzWorld _world;
    private readonly Random _random;
    private readonly BodyExamples _examples;
    private readonly Dictionary<string, string> _existingPath = [];
    private readonly string? _mediaType;
    private readonly JsonObject? _schema;
    private readonly JsonNode? _example;
    private readonly byte[]? _validBody;
    private readonly List<FuzzRequest> _requests = [];

    private RequestPlan(Operation operation, Contract contract, FuzzWorld world, int seed)
    {
        _operation = operation;
        _world = world;
        _random = new Random(unchecked((seed * 31) + StableHash(operation.Id)));
        _examples = new BodyExamples(contract, world);
        foreach (var parameter in operation.PathParameters)
        {
            _existingPath[parameter.Name] = ExistingId(parameter) ?? EdgeValues.NewGuid(_random).ToString();
        }

        var body = operation.Bodies.Count > 0 ? operation.Bodies[0] : null;
        _mediaType = body?.MediaType;
        _schema = body?.Schema;
        (_validBody, _example) = _mediaType switch
        {
            "application/json" when _schema is not null => ValidJson(),
            "text/csv" => (FuzzRequest.Utf8(world.ImportCsv), null),
            "multipart/form-data" => (Multipart.Valid(world.Pdf), null),
            _ => ((byte[]?)null, (JsonNode?)null),
        };
    }

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("EAR_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    public static IReadOnlyList<FuzzRequest> For(Operation operation, Contract contract, FuzzWorld world, int seed)
    {
        var plan = new RequestPlan(operation, contract, world, seed);
        plan.Baseline();
        plan.SameRequestAtOnce();
        plan.CredentialsAndAccept();
        plan.ErrorsWithOtherAccept();
        plan.PathParameters();
        plan.QueryParameters();
        plan.Bodies();
        plan.IfMatch();
        plan.Combinations();
        return plan._requests;
    }

    private string ValidContentType => _mediaType == "multipart/form-data" ? Multipart.ContentType : _mediaType ?? "application/json";

    private (byte[], JsonNode?) ValidJson()
    {
        var example = _examples.Example(_schema!);
        return (FuzzRequest.Utf8(example?.ToJsonString(BodyExamples.Wire) ?? "null"), example);
    }

    private string? ExistingId(Parameter parameter)
    {
        var segments = _operation.PathTemplate.Split('/');
        var at = Array.IndexOf(segments, $"{{{parameter.Name}}}");
        var collection = at > 0 ? segments[at - 1] : "";
        if (collection.StartsWith('{') && at > 1)
        {
            collection = segments[at - 2];
        }

        return _world.ExistingId(collection, parameter.Name);
    }

    private string Path(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var path = _operation.PathTemplate;
        foreach (var (name, value) in _existingPath)
        {
            path = path.Replace($"{{{name}}}", overrides?.GetValueOrDefault(name) ?? value, StringComparison.Ordinal);
        }

        return path;
    }

    private FuzzRequest Valid(string kind, string detail) => new()
    {
        Kind = kind,
        Detail = detail,
        Method = _operation.Method,
        Url = Path(),
        Body = _validBody,
        ContentType = _validBody is null ? null : ValidContentType,
        CurrentETag = _operation.Method == HttpMethod.Put,
    };

    /// <summary>
    /// Adds the request, with the example's e-mail and action code made unique to it: otherwise every
    /// body after the first valid one would stop at "already exists" and never reach the deeper checks.
    /// </summary>
    private void Add(FuzzRequest request, bool makeUnique = true)
    {
        var n = _requests.Count;
        if (makeUnique && request.Body is { Length: < 1 << 16 } body)
        {
            var text = Encoding.UTF8.GetString(body);
            var unique = text
                .Replace(BodyExamples.UniqueEmail, $"fuzz{n}@example.org", StringComparison.Ordinal)
                .Replace(FuzzWorld.ImportEmail, $"fuzz-import{n}@example.org", StringComparison.Ordinal)
                .Replace(BodyExamples.UniqueCode, $"FUZZ-{n:D5}", StringComparison.Ordinal);
            if (unique != text && Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(body))
            {
                request = request with { Body = Encoding.UTF8.GetBytes(unique) };
            }
        }

        _requests.Add(request);
    }

    private void Baseline() => Add(Valid("baseline", "the valid request"));

    /// <summary>
    /// The same valid request eight times in a row, which the runner sends four at a time: two writers of
    /// the same unique value must meet a 409 or a validation problem, not the database's unique index.
    /// </summary>
    private void SameRequestAtOnce()
    {
        for (var i = 0; i < 8; i++)
        {
            Add(Valid("the same valid request, concurrently", $"copy {i + 1} of 8"), makeUnique: false);
        }
    }

    private void CredentialsAndAccept()
    {
        foreach (var credential in Enum.GetValues<Credential>().Where(c => c != Credential.RateLimited))
        {
            foreach (var accept in SweepAccepts)
            {
                Add(Valid("credential × Accept sweep", $"{Describe(credential)}, Accept {accept ?? "(none)"}") with
                {
                    Credential = credential,
                    GarbageKey = "not-a-key",
                    Accept = accept,
                });
            }
        }

        foreach (var accept in OtherAccepts)
        {
            Add(Valid("Accept variant", $"Accept {FuzzRequest.Shorten(accept, 60)}") with { Accept = accept });
        }

        foreach (var (label, key) in new[]
        {
            ("empty X-Api-Key", ""), ("blank X-Api-Key", "   "), ("10,000-character X-Api-Key", new string('k', 10_000)),
            ("SQL in X-Api-Key", "' OR 1=1 --"), ("prefix-only X-Api-Key", "ear_"),
        })
        {
            Add(Valid("X-Api-Key oddity", label) with { Credential = Credential.Garbage, GarbageKey = key });
        }

        Add(Valid("X-Api-Key oddity", "two X-Api-Key headers, the first an admin key") with { Headers = [new("X-Api-Key", "not-a-key")] });
        Add(Valid("method not in the contract", "PATCH") with { Method = HttpMethod.Patch });
        Add(Valid("method not in the contract", "PATCH, Accept text/html") with { Method = HttpMethod.Patch, Accept = "text/html" });
    }

    /// <summary>Errors of every source (routing, the JSON reader, validation, a missing row) asked for in a media type other than JSON.</summary>
    private void ErrorsWithOtherAccept()
    {
        foreach (var accept in new[] { "text/html", "text/csv", "application/xml" })
        {
            FuzzRequest Error(string detail) => Valid("error with a non-JSON Accept", $"{detail}, Accept {accept}") with { Accept = accept };

            if (_operation.PathParameters.FirstOrDefault() is { } parameter)
            {
                Add(Error($"{{{parameter.Name}}} not of its type") with { Url = Path(new Dictionary<string, string> { [parameter.Name] = "not-an-id" }) });
                Add(Error($"{{{parameter.Name}}} unknown") with { Url = Path(new Dictionary<string, string> { [parameter.Name] = parameter.Type == "integer" ? "999999" : EdgeValues.NewGuid(_random).ToString() }) });
            }

            if (_operation.QueryParameters.FirstOrDefault() is { } query)
            {
                Add(Error($"{query.Name} malformed") with { Url = $"{Path()}?{query.Name}=2024-13-01%00" });
            }

            if (_validBody is not null)
            {
                Add(Error("body truncated") with { Body = _validBody[..(_validBody.Length / 2)] });
                Add(Error("body of the wrong media type") with { ContentType = "text/plain" });
            }

            if (_mediaType == "application/json" && _example is JsonObject root)
            {
                var invalid = root.DeepClone().AsObject();
                invalid[root.First().Key] = new string('x', 100_000);
                Add(Error($"{root.First().Key} too long") with { Body = FuzzRequest.Utf8(invalid.ToJsonString(BodyExamples.Wire)) });
            }

            if (_operation.Method == HttpMethod.Put)
            {
                Add(Error("If-Match stale") with { CurrentETag = false, Headers = [new("If-Match", "\"999999\"")] });
            }
        }
    }

    /// <summary>
    /// The valid request of <paramref name="operation"/> with a key past its rate limit, once per Accept
    /// header of the sweep: exhausting a key costs a minute's worth of requests, so this family is planned
    /// for all operations together rather than with each one.
    /// </summary>
    public static IEnumerable<FuzzRequest> PastTheRateLimit(Operation operation, Contract contract, FuzzWorld world, int seed)
    {
        var plan = new RequestPlan(operation, contract, world, seed);
        return SweepAccepts.Select(accept => plan.Valid("rate limit exhausted × Accept", $"{operation.Id}, Accept {accept ?? "(none)"}") with
        {
            Credential = Credential.RateLimited,
            Accept = accept,
        });
    }

    private static string Describe(Credential credential) => credential switch
    {
        Credential.RateLimited => "rate-limited key",
        Credential.None => "no key",
        Credential.Garbage => "garbage key",
        Credential.FocalPoint => "focal point key",
        _ => $"{credential.ToString().ToLowerInvariant()} key",
    };

    private void PathParameters()
    {
        foreach (var parameter in _operation.PathParameters)
        {
            var existing = ExistingId(parameter);
            var edges = parameter.Type == "integer"
                ? EdgeValues.IntegerSegments(existing)
                : EdgeValues.GuidSegments(existing, _random);
            foreach (var edge in edges)
            {
                Add(Valid(edge.Kind, $"{{{parameter.Name}}} = {edge.Label}") with
                {
                    Url = Path(new Dictionary<string, string> { [parameter.Name] = edge.Encoded }),
                });
            }
        }
    }

    private void QueryParameters()
    {
        var parameters = _operation.QueryParameters.ToList();
        foreach (var parameter in parameters)
        {
            foreach (var edge in EdgeValues.QueryValues(_random))
            {
                Add(Valid(edge.Kind, $"{parameter.Name} = {edge.Label}") with { Url = $"{Path()}?{parameter.Name}={edge.Encoded}" });
            }
        }

        foreach (var edge in EdgeValues.QueryShapes(parameters))
        {
            Add(Valid(edge.Kind, edge.Label) with { Url = $"{Path()}?{edge.Encoded}" });
        }
    }

    private void Bodies()
    {
        switch (_mediaType)
        {
            case "application/json" when _schema is not null:
                JsonSlots();
                JsonTexts();
                ContentTypes(["text/plain", "text/csv", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/json-patch+json", "application/problem+json", "garbage"]);
                break;
            case "text/csv":
                CsvBodies();
                ContentTypes(["application/json", "text/plain", "multipart/form-data; boundary=x", "garbage"]);
                break;
            case "multipart/form-data":
                foreach (var (kind, label, contentType, body) in Multipart.Malformed(_world.Pdf))
                {
                    Add(Valid(kind, label) with { Body = body, ContentType = contentType });
                }

                break;
            case null:
                Add(Valid("body on a method without one", "a JSON body") with { Body = FuzzRequest.Utf8("{\"fuzz\":1}"), ContentType = "application/json" });
                Add(Valid("body on a method without one", "a truncated JSON body") with { Body = FuzzRequest.Utf8("{\"fuzz\":"), ContentType = "application/json" });
                break;
        }
    }

    private void JsonSlots()
    {
        var slots = _examples.Slots(_schema!, _example);
        foreach (var slot in slots)
        {
            if (slot.IsProperty)
            {
                AddJson("body: property removed", $"{slot.Path} removed", BodyExamples.With(_example, slot, null, remove: true));
            }

            AddJson("body: null", $"{slot.Path} = null", BodyExamples.With(_example, slot, null));
            foreach (var edge in EdgeValues.WrongTypes(slot.Type).Concat(TypedEdges(slot)))
            {
                var value = edge.Value();
                AddJson(edge.Kind, $"{slot.Path} = {FuzzRequest.Shorten(value?.ToJsonString(BodyExamples.Wire) ?? "null", 60)} ({edge.Label})", BodyExamples.With(_example, slot, value));
            }
        }

        foreach (var slot in slots.Where(s => s.Type == "object" || s.Steps.Count == 0))
        {
            if (BodyExamples.At(_example, slot) is JsonObject { } period && period.ContainsKey("from") && period.ContainsKey("to"))
            {
                var swapped = period.DeepClone().AsObject();
                (swapped["from"], swapped["to"]) = (period["to"]?.DeepClone(), period["from"]?.DeepClone());
                AddJson("body: inverted period", $"{slot.Path} from after to", BodyExamples.With(_example, slot, swapped));
            }
        }

        if (_example is JsonObject root)
        {
            var unknown = root.DeepClone().AsObject();
            unknown["fuzzUnknown"] = 1;
            AddJson("body: unknown property", "unknown property at the root", unknown);
            var nested = root.DeepClone().AsObject();
            JsonNode deep = 1;
            for (var i = 0; i < 60; i++)
            {
                deep = new JsonObject { ["a"] = deep };
            }

            nested["fuzzUnknown"] = deep;
            AddJson("body: unknown property", "unknown property nested 60 deep", nested);
        }

        if (slots.FirstOrDefault(s => s.Type == "string" && s.Format is null) is { } text)
        {
            AddJson("body: long string", $"{text.Path} = 1 MB string", BodyExamples.With(_example, text, new string('m', 1 << 20)));
        }

        var rootArray = new JsonArray(Enumerable.Range(0, 10_000).Select(_ => _example?.DeepClone()).ToArray());
        AddJson("body: huge array (10,000 items)", "10,000 valid bodies in an array at the root", rootArray);
    }

    private IEnumerable<JsonEdge> TypedEdges(Slot slot) => (slot.Type, slot.Format) switch
    {
        ("string", "date") => EdgeValues.Dates(),
        ("string", "date-time") => EdgeValues.DateTimes(),
        ("string", "uuid") => EdgeValues.Guids(_random),
        ("string", _) => EdgeValues.Strings(),
        ("integer", _) => EdgeValues.Integers(),
        ("number", _) => EdgeValues.Doubles(),
        ("boolean", _) => EdgeValues.Booleans(),
        ("array", _) => ArrayEdges(slot),
        ("object", _) =>
        [
            new JsonEdge("body: empty object or unknown property", "empty object", () => new JsonObject()),
            new JsonEdge("body: empty object or unknown property", "unknown property inside", () =>
            {
                var copy = BodyExamples.At(_example, slot)?.DeepClone() as JsonObject ?? [];
                copy["fuzzUnknown"] = "x";
                return copy;
            }),
        ],
        _ => [],
    };

    private IEnumerable<JsonEdge> ArrayEdges(Slot slot)
    {
        var item = (BodyExamples.At(_example, slot) as JsonArray)?.FirstOrDefault();
        yield return new JsonEdge("body: empty array", "empty array", () => new JsonArray());
        yield return new JsonEdge("body: huge array (10,000 items)", "10,000 copies of the item",
            () => new JsonArray(Enumerable.Range(0, 10_000).Select(_ => item?.DeepClone()).ToArray()));
        yield return new JsonEdge("body: array items null, nested or repeated", "[null]", () => new JsonArray((JsonNode?)null));
        yield return new JsonEdge("body: array items null, nested or repeated", "[[]]", () => new JsonArray(new JsonArray()));
        yield return new JsonEdge("body: array items null, nested or repeated", "the item twice", () => new JsonArray(item?.DeepClone(), item?.DeepClone()));
    }

    private void AddJson(string kind, string detail, JsonNode? body) =>
        Add(Valid(kind, detail) with { Body = FuzzRequest.Utf8(body?.ToJsonString(BodyExamples.Wire) ?? "null") });

    private void JsonTexts()
    {
        var json = Encoding.UTF8.GetString(_validBody!);
        var firstKey = (_example as JsonObject)?.FirstOrDefault().Key ?? "fuzz";

        void Text(string kind, string detail, string text, string contentType = "application/json") =>
            Add(Valid(kind, detail) with { Body = FuzzRequest.Utf8(text), ContentType = contentType });

        void Bytes(string kind, string detail, byte[] bytes, string contentType = "application/json") =>
            Add(Valid(kind, detail) with { Body = bytes, ContentType = contentType });

        if (json.StartsWith('{') && json.Length > 2)
        {
            Text("body: duplicated JSON key", $"\"{firstKey}\" twice, a number first", $"{{\"{firstKey}\":12345,{json[1..]}");
            Text("body: duplicated JSON key", $"\"{firstKey}\" twice, null last", $"{json[..^1]},\"{firstKey}\":null}}");
            Text("body: deep nesting", $"\"{firstKey}\" nested 10,000 arrays deep",
                $"{{\"{firstKey}\":{new string('[', 10_000)}{new string(']', 10_000)}}}");
        }

        Text("body: deep nesting", "10,000 arrays deep at the root", new string('[', 10_000) + new string(']', 10_000));
        Text("body: deep nesting", "1,000 objects deep at the root", string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000));

        Text("body: malformed JSON text", "truncated at half", json[..(json.Length / 2)]);
        Text("body: malformed JSON text", "truncated by one character", json[..^1]);
        Text("body: malformed JSON text", "trailing garbage", json + "xyz");
        Text("body: malformed JSON text", "two documents", json + json);
        Text("body: malformed JSON text", "trailing comma", json.Length > 2 ? json[..^1] + ",}" : json + ",");
        Text("body: malformed JSON text", "comment", "/* fuzz */" + json);
        Text("body: malformed JSON text", "single quotes", json.Replace('"', '\''));
        Text("body: malformed JSON text", "unquoted keys", json.Replace("\"", "", StringComparison.Ordinal));
        Text("body: malformed JSON text", "not JSON", "this is not JSON");
        Text("body: malformed JSON text", "XML", "<expert><givenName>Anna</givenName></expert>");
        Text("body: malformed JSON text", "form encoding", "givenName=Anna&familyName=Fuzz");
        Bytes("body: malformed JSON text", "byte order mark", [0xEF, 0xBB, 0xBF, .. _validBody!]);
        Bytes("body: malformed JSON text", "invalid UTF-8 inside a string", InsertInFirstString(json, [0xFF, 0xFE, 0xC0, 0x80]));
        Bytes("body: malformed JSON text", "raw NUL byte inside a string", InsertInFirstString(json, [0x00]));
        Bytes("body: malformed JSON text", "raw NUL byte outside strings", [0x00, .. _validBody!]);
        Bytes("content type: charset junk", "UTF-16 body declared UTF-16", Encoding.Unicode.GetBytes(json), "application/json; charset=utf-16");
        Bytes("content type: charset junk", "UTF-8 body declared UTF-16", _validBody!, "application/json; charset=utf-16");
        Bytes("content type: charset junk", "UTF-8 body declared latin1", _validBody!, "application/json; charset=iso-8859-1");
        Bytes("content type: charset junk", "unknown charset", _validBody!, "application/json; charset=ebcdic-fuzz");
        Bytes("content type: charset junk", "unterminated charset", _validBody!, "application/json; charset=\"");
        Bytes("content type: charset junk", "empty parameters", _validBody!, "application/json;;;");

        foreach (var (label, text) in new[] { ("empty object", "{}"), ("empty array", "[]"), ("null", "null"), ("a string", "\"text\""), ("a number", "0"), ("true", "true"), ("empty", ""), ("blank", "   ") })
        {
            Text("body: wrong shape or empty", label, text);
        }

        Add(Valid("body: missing", "no body and no Content-Type") with { Body = null, ContentType = null });
        Add(Valid("body: missing", "a JSON body without Content-Type") with { ContentType = null });
    }

    private static byte[] InsertInFirstString(string json, byte[] bytes)
    {
        var colon = json.IndexOf(":\"", StringComparison.Ordinal);
        var at = colon < 0 ? json.Length / 2 : colon + 2;
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. bytes, .. Encoding.UTF8.GetBytes(json[at..])];
    }

    private void ContentTypes(IEnumerable<string> contentTypes)
    {
        foreach (var contentType in contentTypes)
        {
            Add(Valid("content type: wrong", contentType) with { ContentType = contentType });
        }
    }

    private void CsvBodies()
    {
        var lines = _world.ImportCsv.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var header = Csv.Split(lines[0]);
        var row = lines.Length > 1 ? Csv.Split(lines[1]) : header.Select(_ => "").ToList();

        void Send(string kind, string detail, string csv, string contentType = "text/csv") =>
            Add(Valid(kind, detail) with { Body = FuzzRequest.Utf8(csv), ContentType = contentType });

        string WithCell(int column, string value)
        {
            var cells = row.ToList();
            cells[column] = value;
            return $"{lines[0]}\n{Csv.Join(cells)}\n";
        }

        for (var column = 0; column < header.Count && column < row.Count; column++)
        {
            foreach (var (kind, label, value) in new[]
            {
                ("csv: edge cell", "empty", ""), ("csv: edge cell", "blank", "   "), ("csv: edge cell", "unicode", "ünïcødé ☃ 𝄞"),
                ("csv: edge cell", "formula", "=1+1"), ("csv: edge cell", "number 2^64", "18446744073709551616"),
                ("csv: edge cell", "list syntax junk", "x:y:z;;:"), ("csv: edge cell", "tsquery text", "'&|!:*()"),
                ("csv: extreme date", "0002-12-31", "0002-12-31"), ("csv: extreme date", "9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59-05:00"),
                ("csv: NUL or control characters", "NUL", "a\0b"), ("csv: NUL or control characters", "control characters", "\u0001\u001F"),
                ("csv: long cell", "10,000 characters", new string('c', 10_000)),
            })
            {
                Send(kind, $"{header[column]} = {label}", WithCell(column, value));
            }
        }

        var csv = _world.ImportCsv;
        Send("csv: malformed structure", "empty body", "");
        Send("csv: malformed structure", "header only", lines[0] + "\n");
        Send("csv: malformed structure", "blank lines only", "\n\n\n");
        Send("csv: malformed structure", "byte order mark", "\uFEFF" + csv);
        Send("csv: malformed structure", "CRLF line ends", csv.ReplaceLineEndings("\r\n"));
        Send("csv: malformed structure", "CR line ends", csv.ReplaceLineEndings("\r"));
        Send("csv: malformed structure", "unbalanced quote", $"{lines[0]}\n\"{Csv.Join(row)}\n");
        Send("csv: malformed structure", "quote inside a bare cell", $"{lines[0]}\na\"b{Csv.Join(row)}\n");
        Send("csv: malformed structure", "one cell too many", $"{lines[0]}\n{Csv.Join(row)},extra\n");
        Send("csv: malformed structure", "one cell too few", $"{lines[0]}\n{Csv.Join(row.Take(row.Count - 1))}\n");
        Send("csv: malformed structure", "10,000 cells", $"{lines[0]}\n{string.Join(",", Enumerable.Repeat("x", 10_000))}\n");
        Send("csv: malformed structure", "a duplicated column", $"{lines[0]},{header[0]}\n{Csv.Join(row)},{Csv.Join(row.Take(1))}\n");
        Send("csv: malformed structure", "an unknown column", $"{lines[0]},fuzzUnknown\n{Csv.Join(row)},x\n");
        Send("csv: malformed structure", "first column missing", $"{Csv.Join(header.Skip(1))}\n{Csv.Join(row.Skip(1))}\n");
        Send("csv: malformed structure", "header in upper case", $"{lines[0].ToUpperInvariant()}\n{Csv.Join(row)}\n");
        Send("csv: malformed structure", "semicolon separated", csv.Replace(',', ';'));
        Send("csv: malformed structure", "2,000 identical rows", lines[0] + "\n" + string.Concat(Enumerable.Repeat(Csv.Join(row) + "\n", 2000)));
        Send("csv: malformed structure", "1 MB cell", WithCell(0, new string('m', 1 << 20)));
        Add(Valid("csv: malformed structure", "a PDF instead of CSV") with { Body = _world.Pdf });
        Add(Valid("csv: malformed structure", "invalid UTF-8") with { Body = [.. FuzzRequest.Utf8(lines[0] + "\n"), 0xFF, 0xFE, 0xC0, 0x80, (byte)'\n'] });
        Send("content type: charset junk", "UTF-8 declared UTF-16", csv, "text/csv; charset=utf-16");
        Send("content type: charset junk", "unknown charset", csv, "text/csv; charset=ebcdic-fuzz");
        Add(Valid("body: missing", "no body and no Content-Type") with { Body = null, ContentType = null });
        Add(Valid("body: missing", "CSV without Content-Type") with { ContentType = null });
    }

    private void IfMatch()
    {
        if (_operation.Method != HttpMethod.Put)
        {
            return;
        }

        foreach (var value in new[] { "garbage", "\"\"", "\"-1\"", "\"99999999999\"", "\"1\", \"2\"", "W/\"1\"", "*", "\"1", "\"1\"\"", new string('9', 5000), "\"\u00e9\"" })
        {
            Add(Valid("If-Match garbage", $"If-Match {FuzzRequest.Shorten(value, 40)}") with { CurrentETag = false, Headers = [new("If-Match", value)] });
        }

        Add(Valid("If-Match garbage", "no If-Match") with { CurrentETag = false });
    }

    /// <summary>Several changes at once, drawn from the families above, the way real clients get several things wrong together.</summary>
    private void Combinations()
    {
        var pathEdges = _operation.PathParameters.ToDictionary(p => p.Name, p => (p.Type == "integer"
            ? EdgeValues.IntegerSegments(null)
            : EdgeValues.GuidSegments(null, _random)).ToList());
        var queryEdges = EdgeValues.QueryValues(_random).ToList();
        var queryParameters = _operation.QueryParameters.ToList();
        var jsonSlots = _mediaType == "application/json" && _schema is not null ? _examples.Slots(_schema, _example) : [];
        var credentials = new[] { Credential.Admin, Credential.Admin, Credential.Admin, Credential.Admin, Credential.FocalPoint, Credential.Reader, Credential.None, Credential.Revoked, Credential.Garbage };
        var accepts = SweepAccepts.Concat(OtherAccepts.Take(4)).ToArray();

        for (var i = 0; i < RandomCombinations; i++)
        {
            var detail = new List<string>();
            var credential = credentials[_random.Next(credentials.Length)];
            var accept = _random.Next(3) == 0 ? accepts[_random.Next(accepts.Length)] : "application/json";
            detail.Add($"{Describe(credential)}, Accept {accept ?? "(none)"}");

            var overrides = new Dictionary<string, string>();
            foreach (var (name, edges) in pathEdges)
            {
                if (_random.Next(3) == 0)
                {
                    var edge = edges[_random.Next(edges.Count)];
                    overrides[name] = edge.Encoded;
                    detail.Add($"{{{name}}} = {edge.Label}");
                }
            }

            var query = new List<string>();
            foreach (var parameter in queryParameters.Where(_ => _random.Next(3) == 0))
            {
                if (_random.Next(2) == 0 && ValidQueryValues.TryGetValue(parameter.Name, out var valid))
                {
                    query.Add($"{parameter.Name}={Uri.EscapeDataString(valid)}");
                }
                else
                {
                    var edge = queryEdges[_random.Next(queryEdges.Count)];
                    query.Add($"{parameter.Name}={edge.Encoded}");
                    detail.Add($"{parameter.Name} = {edge.Label}");
                }
            }

            var body = _validBody;
            if (jsonSlots.Count > 0)
            {
                var mutated = _example;
                for (var changes = _random.Next(1, 4); changes > 0; changes--)
                {
                    var slot = jsonSlots[_random.Next(jsonSlots.Count)];
                    var edges = EdgeValues.WrongTypes(slot.Type).Concat(TypedEdges(slot))
                        .Where(e => !e.Kind.StartsWith("body: huge", StringComparison.Ordinal)).ToList();
                    if (!BodyExamples.CanReach(mutated, slot))
                    {
                        continue;
                    }

                    var value = edges.Count == 0 || _random.Next(5) == 0 ? null : edges[_random.Next(edges.Count)].Value();
                    mutated = BodyExamples.With(mutated, slot, value);
                    detail.Add($"{slot.Path} = {FuzzRequest.Shorten(value?.ToJsonString(BodyExamples.Wire) ?? "null", 40)}");
                }

                body = FuzzRequest.Utf8(mutated?.ToJsonString(BodyExamples.Wire) ?? "null");
            }

            Add(Valid("random combination", string.Join("; ", detail)) with
            {
                Url = query.Count == 0 ? Path(overrides) : $"{Path(overrides)}?{string.Join("&", query)}",
                Credential = credential,
                GarbageKey = "not-a-key",
                Accept = accept,
                Body = body,
            });
        }
    }

    /// <summary>FNV-1a: string.GetHashCode differs between runs, and the seed must not.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
