using System.Text;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// multipart/form-data written by hand, byte for byte, because MultipartFormDataContent only writes
/// well-formed bodies and the fuzzer wants the malformed ones too.
/// </summary>
internal static class Multipart
{
    public const string Boundary = "fuzz-boundary";
    public const string ContentType = "multipart/form-data; boundary=" + Boundary;

    private const string FileHeaders = "Content-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf";

    public static byte[] Valid(byte[] pdf) => Body(Boundary, (FileHeaders, pdf));

    /// <summary>A body of parts, each its header lines (CRLF-separated) and its content.</summary>
    public static byte[] Body(string boundary, params (string Headers, byte[] Content)[] parts) => Body(boundary, true, parts);

    private static byte[] Body(string boundary, bool close, params (string Headers, byte[] Content)[] parts)
    {
        var body = new List<byte>();
        foreach (var (headers, content) in parts)
        {
            body.AddRange(Encoding.UTF8.GetBytes($"--{boundary}\r\n{headers}\r\n\r\n"));
            body.AddRange(content);
            body.AddRange("\r\n"u8.ToArray());
        }

        if (close)
        {
            body.AddRange(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
        }

        return [.. body];
    }

    public static IEnumerable<(string Kind, string Label, string? ContentType, byte[]? Body)> Malformed(byte[] pdf)
    {
        const string malformed = "multipart: malformed";
        const string odd = "multipart: odd file";
        var valid = Valid(pdf);
        var text = Encoding.Latin1.GetString(valid);

        yield return (malformed, "no boundary parameter", "multipart/form-data", valid);
        yield return (malformed, "boundary parameter empty", "multipart/form-data; boundary=", valid);
        yield return (malformed, "boundary mismatch", "multipart/form-data; boundary=other", valid);
        yield return (malformed, "boundary of 100 characters", "multipart/form-data; boundary=" + new string('b', 100), Body(new string('b', 100), (FileHeaders, pdf)));
        yield return (malformed, "part header without a colon", ContentType,
            Body(Boundary, ("Content-Disposition form-data; name=\"file\"; filename=\"cv.pdf\"", pdf)));
        yield return (malformed, "part header with an empty name", ContentType, Body(Boundary, (": value\r\n" + FileHeaders, pdf)));
        yield return (malformed, "empty part", ContentType, Encoding.ASCII.GetBytes($"--{Boundary}\r\n\r\n\r\n--{Boundary}--\r\n"));
        yield return (malformed, "only the closing boundary", ContentType, Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        yield return (malformed, "no closing boundary", ContentType, Body(Boundary, false, (FileHeaders, pdf)));
        yield return (malformed, "cut in the part headers", ContentType, Encoding.Latin1.GetBytes(text[..(Boundary.Length + 30)]));
        yield return (malformed, "cut in the content", ContentType, valid[..(valid.Length / 2)]);
        yield return (malformed, "empty body", ContentType, null);
        yield return (malformed, "preamble only", ContentType, "this is not multipart"u8.ToArray());
        yield return (malformed, "LF line ends", ContentType, Encoding.Latin1.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal)));
        yield return (malformed, "a 20,000-character header line", ContentType, Body(Boundary, ($"X-Fuzz: {new string('h', 20_000)}\r\n{FileHeaders}", pdf)));
        yield return (malformed, "100 part headers", ContentType,
            Body(Boundary, (string.Concat(Enumerable.Range(0, 100).Select(i => $"X-Fuzz-{i}: {i}\r\n")) + FileHeaders, pdf)));
        yield return (malformed, "2,000 form fields", ContentType,
            Body(Boundary, [.. Enumerable.Range(0, 2000).Select(i => ($"Content-Disposition: form-data; name=\"f{i}\"", "x"u8.ToArray())), (FileHeaders, pdf)]));
        yield return (malformed, "no Content-Disposition", ContentType, Body(Boundary, ("Content-Type: application/pdf", pdf)));
        yield return (malformed, "Content-Disposition garbage", ContentType, Body(Boundary, ("Content-Disposition: ;;;=\"\r\nContent-Type: application/pdf", pdf)));
        yield return (malformed, "nested multipart", ContentType,
            Body(Boundary, ("Content-Disposition: form-data; name=\"file\"\r\nContent-Type: multipart/mixed; boundary=inner", Body("inner", (FileHeaders, pdf)))));

        yield return (odd, "no 'file' field", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"other\"; filename=\"cv.pdf\"", pdf)));
        yield return (odd, "two 'file' fields", ContentType, Body(Boundary, (FileHeaders, pdf), (FileHeaders, pdf)));
        yield return (odd, "'file' without a filename", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"", pdf)));
        yield return (odd, "empty file", ContentType, Body(Boundary, (FileHeaders, [])));
        yield return (odd, "filename with a NUL", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"cv\0.pdf\"", pdf)));
        yield return (odd, "filename with control characters", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"c\u0001v\u001F.pdf\"", pdf)));
        yield return (odd, "filename climbing directories", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd.pdf\"", pdf)));
        yield return (odd, "filename of 5,000 characters", ContentType, Body(Boundary, ($"Content-Disposition: form-data; name=\"file\"; filename=\"{new string('f', 5000)}.pdf\"", pdf)));
        yield return (odd, "empty filename", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"\"", pdf)));
        yield return (odd, "RFC 5987 filename*", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''r%C3%A9sum%C3%A9%00.pdf", pdf)));
        yield return (odd, "RFC 5987 filename* with bad escapes", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%ZZ%", pdf)));
        yield return (odd, "not a PDF, declared PDF", ContentType, Body(Boundary, (FileHeaders, "this is not a PDF"u8.ToArray())));
        yield return (odd, "truncated PDF header", ContentType, Body(Boundary, (FileHeaders, "%PDF-"u8.ToArray())));
        yield return (odd, "PDF cut in half", ContentType, Body(Boundary, (FileHeaders, pdf[..(pdf.Length / 2)])));
        yield return (odd, "zip bomb declared DOCX", ContentType,
            Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"cv.docx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document", Documents.ZipBomb())));
        yield return (odd, "a zip that is not a DOCX", ContentType,
            Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"cv.docx\"", [0x50, 0x4B, 0x03, 0x04, .. "not really a zip"u8.ToArray()])));
        yield return (odd, "part Content-Type garbage", ContentType, Body(Boundary, ("Content-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\nContent-Type: ;;;/", pdf)));
        yield return (odd, "11 MB file", ContentType, Body(Boundary, (FileHeaders, [.. pdf, .. new byte[11 << 20]])));

        yield return ("content type: wrong", "the PDF as application/pdf", "application/pdf", pdf);
        yield return ("content type: wrong", "multipart body as application/json", "application/json", valid);
        yield return ("content type: wrong", "multipart body as text/plain", "text/plain", valid);
        yield return ("content type: wrong", "form-urlencoded", "application/x-www-form-urlencoded", "file=abc"u8.ToArray());
        yield return ("content type: wrong", "multipart/mixed", "multipart/mixed; boundary=" + Boundary, valid);
        yield return ("content type: wrong", "no Content-Type", null, valid);
        yield return ("content type: charset junk", "unknown charset", ContentType + "; charset=ebcdic-fuzz", valid);
        yield return ("body: missing", "no body and no Content-Type", null, null);
    }
}

/// <summary>Just enough CSV to change one cell of the import example: quotes, commas, doubled quotes.</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }

    public static string Join(IEnumerable<string> cells) =>
        string.Join(",", cells.Select(c => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c));
}
