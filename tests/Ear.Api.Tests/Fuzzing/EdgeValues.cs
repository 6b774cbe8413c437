using System.Globalization;
using System.Text.Json.Nodes;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>A value to put somewhere, the family it belongs to (failures are grouped by it) and how to print it.</summary>
internal sealed record Edge(string Kind, string Label, string Encoded);

/// <summary>A JSON value to put in a body, with its family and label.</summary>
internal sealed record JsonEdge(string Kind, string Label, Func<JsonNode?> Value);

/// <summary>The catalogue of malformed and boundary values, by where they go.</summary>
internal static class EdgeValues
{
    public const string TwoToThe63 = "9223372036854775808";

    private static Edge Text(string kind, string label, string value) => new(kind, label, Uri.EscapeDataString(value));

    private static Edge Raw(string kind, string label, string encoded) => new(kind, label, encoded);

    /// <summary>Values for a path segment that the route declares a GUID.</summary>
    public static IEnumerable<Edge> GuidSegments(string? existing, Random random)
    {
        if (existing is not null)
        {
            yield return Raw("path: existing id", "existing", existing);
            yield return Raw("path: existing id, other spelling", "existing, upper case", existing.ToUpperInvariant());
            yield return Raw("path: existing id, other spelling", "existing, in braces", Uri.EscapeDataString("{" + existing + "}"));
            yield return Raw("path: existing id, other spelling", "existing, no hyphens", existing.Replace("-", "", StringComparison.Ordinal));
            yield return Raw("path: NUL or control characters", "existing + %00", existing + "%00");
            yield return Raw("path: long value", "existing + 1,000 zeros", existing + new string('0', 1000));
        }

        yield return Raw("path: unknown GUID", "random GUID", NewGuid(random).ToString());
        yield return Raw("path: unknown GUID", "all-zero GUID", Guid.Empty.ToString());
        yield return Raw("path: unknown GUID", "all-f GUID", "ffffffff-ffff-ffff-ffff-ffffffffffff");
        foreach (var edge in CommonSegments())
        {
            yield return edge;
        }
    }

    /// <summary>Values for a path segment that the route declares an integer.</summary>
    public static IEnumerable<Edge> IntegerSegments(string? existing)
    {
        if (existing is not null)
        {
            yield return Raw("path: existing id", "existing", existing);
        }

        yield return Raw("path: boundary number", "0", "0");
        yield return Raw("path: boundary number", "int.MaxValue", int.MaxValue.ToString(CultureInfo.InvariantCulture));
        yield return Raw("path: boundary number", "int.MaxValue + 1", "2147483648");
        yield return Raw("path: boundary number", "2^63", TwoToThe63);
        yield return Raw("path: boundary number", "1.5", "1.5");
        yield return Raw("path: boundary number", "1e3", "1e3");
        yield return Raw("path: boundary number", "+1", "%2B1");
        yield return Raw("path: boundary number", "500 digits", new string('9', 500));
        foreach (var edge in CommonSegments())
        {
            yield return edge;
        }
    }

    private static IEnumerable<Edge> CommonSegments()
    {
        yield return Raw("path: not of the declared type", "not-a-guid", "not-a-guid");
        yield return Raw("path: not of the declared type", "huge integer", TwoToThe63);
        yield return Raw("path: not of the declared type", "negative number", "-1");
        yield return Raw("path: not of the declared type", "SQL text", Uri.EscapeDataString("' OR '1'='1"));
        yield return Raw("path: empty", "empty", "");
        yield return Raw("path: long value", "5,000 characters", new string('a', 5000));
        yield return Raw("path: NUL or control characters", "%00", "%00");
        yield return Raw("path: NUL or control characters", "control characters", "%01%1F%7F");
        yield return Raw("path: unicode", "unicode", Uri.EscapeDataString("ünïcødé☃𝄞"));
        yield return Raw("path: unicode", "invalid UTF-8", "%FF%FE");
        yield return Raw("path: escapes", "encoded dot segments", "..%2F..%2Fhealth%2Flive");
        yield return Raw("path: escapes", "encoded slash", "a%2Fb");
        yield return Raw("path: escapes", "space", "%20");
    }

    /// <summary>Values for any query parameter, whatever it is meant to hold.</summary>
    public static IEnumerable<Edge> QueryValues(Random random)
    {
        yield return Raw("query: empty", "empty", "");
        yield return Raw("query: empty", "blank", "%20%20");

        yield return Raw("query: NUL or control characters", "NUL", "%00");
        yield return Raw("query: NUL or control characters", "NUL inside", "a%00b");
        yield return Raw("query: NUL or control characters", "control characters", "%01%02%1F");
        yield return Raw("query: NUL or control characters", "DEL", "%7F");
        yield return Raw("query: NUL or control characters", "CR LF", "a%0D%0Ab");

        yield return Raw("query: long string", "5,000 characters", new string('x', 5000));
        yield return Raw("query: long string", "100,000 characters", new string('y', 100_000));
        yield return Raw("query: long string", "5,000 words", string.Join("+", Enumerable.Repeat("border", 5000)));

        yield return Text("query: unicode", "accents and symbols", "ünïcødé ☃ 𝄞");
        yield return Text("query: unicode", "right-to-left override", "\u202Eevil");
        yield return Text("query: unicode", "full width", "ｆｕｌｌｗｉｄｔｈ");
        yield return Raw("query: unicode", "invalid UTF-8", "%FF%FE%ED%A0%80");

        yield return Text("query: SQL or tsquery text", "tsquery operators", "'&|!:*()");
        yield return Text("query: SQL or tsquery text", "tsquery expression", "a & b | !c:*");
        yield return Text("query: SQL or tsquery text", "phrase operator", "a <-> b <2> c");
        yield return Text("query: SQL or tsquery text", "SQL injection", "' OR 1=1 --");
        yield return Text("query: SQL or tsquery text", "backslash", "\\");
        yield return Text("query: SQL or tsquery text", "LIKE wildcards", "%_%");
        yield return Raw("query: SQL or tsquery text", "raw percent", "%");
        yield return Raw("query: SQL or tsquery text", "plus", "%2B");
        yield return Text("query: SQL or tsquery text", "only punctuation", "!!!");
        yield return Text("query: SQL or tsquery text", "unbalanced parentheses", "(((");

        yield return Raw("query: boundary number", "0", "0");
        yield return Raw("query: boundary number", "-1", "-1");
        yield return Raw("query: boundary number", "int.MaxValue", "2147483647");
        yield return Raw("query: boundary number", "int.MaxValue + 1", "2147483648");
        yield return Raw("query: boundary number", "2^63", TwoToThe63);
        yield return Raw("query: boundary number", "-2^63 - 1", "-9223372036854775809");
        yield return Raw("query: boundary number", "1e308", "1e308");
        yield return Raw("query: boundary number", "NaN", "NaN");
        yield return Raw("query: boundary number", "1.5", "1.5");
        yield return Raw("query: boundary number", "leading zeros", "00005");
        yield return Raw("query: boundary number", "leading space", "%205");

        yield return Raw("query: bad date", "month 13", "2024-13-01");
        yield return Raw("query: bad date", "30 February", "2024-02-30");
        yield return Raw("query: bad date", "hour 25", "2024-01-01T25:00");
        yield return Raw("query: bad date", "slashes", "2024%2F01%2F01");
        yield return Raw("query: bad date", "negative year", "-2024-01-01");
        yield return Raw("query: bad date", "word", "yesterday");
        yield return Raw("query: extreme date", "0001-01-01", "0001-01-01");
        yield return Raw("query: extreme date", "0002-12-31", "0002-12-31");
        yield return Raw("query: extreme date", "9999-12-31", "9999-12-31");
        yield return Raw("query: extreme date", "10000-01-01", "10000-01-01");
        yield return Text("query: date with offset or time", "+05:00 offset", "2024-01-01T00:00:00+05:00");
        yield return Text("query: date with offset or time", "-14:00 offset", "2024-06-30T23:00:00-14:00");
        yield return Raw("query: date with offset or time", "UTC time", "2024-01-01T00:00:00Z");
        yield return Text("query: date with offset or time", "0001-01-01 at +05:00", "0001-01-01T00:00:00+05:00");
        yield return Text("query: date with offset or time", "9999-12-31 at -05:00", "9999-12-31T23:00:00-05:00");

        yield return Raw("query: GUID", "random GUID", NewGuid(random).ToString());
        yield return Raw("query: GUID", "all-zero GUID", Guid.Empty.ToString());
        yield return Raw("query: GUID", "not-a-guid", "not-a-guid");

        yield return Raw("query: cursor or base64 garbage", "AAAA", "AAAA");
        yield return Raw("query: cursor or base64 garbage", "slashes", "%2F%2F%2F%2F");
        yield return Raw("query: cursor or base64 garbage", "padding only", "%3D%3D");
        yield return Text("query: cursor or base64 garbage", "base64 of JSON", "eyJpZCI6MX0");
        yield return Text("query: cursor or base64 garbage", "base64 of 16 random bytes", Convert.ToBase64String(Bytes(random, 16)));
        yield return Text("query: cursor or base64 garbage", "base64 of 100 random bytes", Convert.ToBase64String(Bytes(random, 100)));
        yield return Text("query: cursor or base64 garbage", "base64url of a GUID", Convert.ToBase64String(NewGuid(random).ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        yield return Text("query: cursor or base64 garbage", "base64 of a GUID text", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(NewGuid(random).ToString())));
    }

    /// <summary>Whole query strings whose shape is odd, whatever the operation's parameters.</summary>
    public static IEnumerable<Edge> QueryShapes(IReadOnlyList<Parameter> parameters)
    {
        yield return Raw("query: unknown parameter", "unknown parameter", "fuzz=1");
        yield return Raw("query: unknown parameter", "NUL as the name", "%00=1");
        yield return Raw("query: unknown parameter", "empty name", "=1");
        yield return Raw("query: unknown parameter", "only separators", "&&&=&");
        yield return Raw("query: unknown parameter", "bracketed name", "a%5Bb%5D=1");
        yield return Raw("query: unknown parameter", "500 unknown parameters", string.Join("&", Enumerable.Range(0, 500).Select(i => $"p{i}={i}")));
        foreach (var parameter in parameters)
        {
            yield return Raw("query: repeated parameter", $"{parameter.Name} twice", $"{parameter.Name}=1&{parameter.Name}=2");
            yield return Raw("query: repeated parameter", $"{parameter.Name} 100 times", string.Join("&", Enumerable.Repeat($"{parameter.Name}=x", 100)));
            yield return Raw("query: parameter without value", $"{parameter.Name} without =", parameter.Name);
            yield return Raw("query: parameter name in other case", $"{parameter.Name.ToUpperInvariant()}=1", $"{parameter.Name.ToUpperInvariant()}=1");
        }
    }

    /// <summary>Values for a JSON string property.</summary>
    public static IEnumerable<JsonEdge> Strings()
    {
        yield return Json("body: edge string", "empty", "");
        yield return Json("body: edge string", "blank", "   ");
        yield return Json("body: edge string", "unicode", "ünïcødé ☃ 𝄞 \u202Eevil");
        yield return Json("body: edge string", "tsquery text", "'&|!:*()");
        yield return Json("body: edge string", "formula", "=cmd|' /C calc'!A0");
        yield return Json("body: edge string", "lone surrogate", "\uD800");
        yield return Json("body: NUL or control characters", "NUL", "\0");
        yield return Json("body: NUL or control characters", "NUL inside", "a\0b");
        yield return Json("body: NUL or control characters", "control characters", "\u0001\u001F\u007F");
        yield return Json("body: long string", "10,000 characters", new string('x', 10_000));
    }

    public static IEnumerable<JsonEdge> Integers()
    {
        yield return Number("0", "0");
        yield return Number("-1", "-1");
        yield return Number("int.MaxValue", "2147483647");
        yield return Number("int.MaxValue + 1", "2147483648");
        yield return Number("2^63", TwoToThe63);
        yield return Number("-2^63 - 1", "-9223372036854775809");
        yield return Number("1e308", "1e308");
        yield return Number("-0", "-0");
        yield return Number("1.5", "1.5");
        yield return Json("body: wrong JSON type", "number as string", "1");
    }

    public static IEnumerable<JsonEdge> Doubles()
    {
        yield return Number("0", "0");
        yield return Number("-0", "-0");
        yield return Number("-1", "-1");
        yield return Number("1e308", "1e308");
        yield return Number("-1e308", "-1e308");
        yield return Number("1e-320 (subnormal)", "1e-320");
        yield return Number("1e309 (overflows a double)", "1e309");
        yield return Number("2^63", TwoToThe63);
        yield return Json("body: wrong JSON type", "\"NaN\"", "NaN");
        yield return Json("body: wrong JSON type", "\"Infinity\"", "Infinity");
    }

    public static IEnumerable<JsonEdge> Booleans()
    {
        yield return Json("body: wrong JSON type", "\"true\"", "true");
        yield return Number("0 for a boolean", "0", "body: wrong JSON type");
        yield return Number("1 for a boolean", "1", "body: wrong JSON type");
    }

    public static IEnumerable<JsonEdge> Dates()
    {
        yield return Json("body: date before year 3 or after 9999", "0001-01-01", "0001-01-01");
        yield return Json("body: date before year 3 or after 9999", "0002-12-31", "0002-12-31");
        yield return Json("body: date before year 3 or after 9999", "0003-01-01", "0003-01-01");
        yield return Json("body: date before year 3 or after 9999", "9999-12-31", "9999-12-31");
        yield return Json("body: date before year 3 or after 9999", "10000-01-01", "10000-01-01");
        yield return Json("body: malformed date", "month 13", "2024-13-01");
        yield return Json("body: malformed date", "30 February", "2024-02-30");
        yield return Json("body: malformed date", "date-time with offset", "2024-01-01T00:00:00+05:00");
        yield return Json("body: malformed date", "hour 25", "2024-01-01T25:00");
        yield return Json("body: malformed date", "empty", "");
        yield return Json("body: malformed date", "word", "yesterday");
        yield return Number("number for a date", "20240101", "body: wrong JSON type");
    }

    public static IEnumerable<JsonEdge> DateTimes()
    {
        yield return Json("body: date before year 3 or after 9999", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z");
        yield return Json("body: date before year 3 or after 9999", "0001-01-01 at +05:00", "0001-01-01T00:00:00+05:00");
        yield return Json("body: date before year 3 or after 9999", "0002-12-31T00:00:00Z", "0002-12-31T00:00:00Z");
        yield return Json("body: date before year 3 or after 9999", "9999-12-31 at -05:00", "9999-12-31T23:59:59-05:00");
        yield return Json("body: date before year 3 or after 9999", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z");
        yield return Json("body: date-time with odd offset", "+14:00 offset", "2026-01-15T10:00:00+14:00");
        yield return Json("body: date-time with odd offset", "no offset", "2026-01-15T10:00:00");
        yield return Json("body: malformed date", "date only", "2026-01-15");
        yield return Json("body: malformed date", "hour 25", "2026-01-15T25:00:00Z");
        yield return Json("body: malformed date", "empty", "");
    }

    public static IEnumerable<JsonEdge> Guids(Random random)
    {
        yield return Json("body: GUID edge", "empty", "");
        yield return Json("body: GUID edge", "not-a-guid", "not-a-guid");
        yield return Json("body: GUID edge", "all-zero GUID", Guid.Empty.ToString());
        yield return Json("body: GUID edge", "random GUID", NewGuid(random).ToString());
        yield return Json("body: GUID edge", "in braces", "{" + NewGuid(random) + "}");
        yield return Number("number for a GUID", "42", "body: wrong JSON type");
    }

    /// <summary>Wrong JSON types for a value of <paramref name="type"/>.</summary>
    public static IEnumerable<JsonEdge> WrongTypes(string type)
    {
        if (type is not ("integer" or "number"))
        {
            yield return new JsonEdge("body: wrong JSON type", "number", () => JsonValue.Create(42));
        }

        if (type != "boolean")
        {
            yield return new JsonEdge("body: wrong JSON type", "boolean", () => JsonValue.Create(true));
        }

        if (type != "string")
        {
            yield return new JsonEdge("body: wrong JSON type", "string", () => JsonValue.Create("fuzz"));
        }

        if (type != "object")
        {
            yield return new JsonEdge("body: wrong JSON type", "object", () => new JsonObject());
        }

        if (type != "array")
        {
            yield return new JsonEdge("body: wrong JSON type", "array", () => new JsonArray());
        }
    }

    public static Guid NewGuid(Random random) => new(Bytes(random, 16));

    public static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static JsonEdge Json(string kind, string label, string value) => new(kind, label, () => JsonValue.Create(value));

    /// <summary>A number written exactly as given, including ones no .NET type holds (2^63, 1e309).</summary>
    private static JsonEdge Number(string label, string literal, string kind = "body: number out of range") =>
        new(kind, label, () => JsonNode.Parse(literal));
}
