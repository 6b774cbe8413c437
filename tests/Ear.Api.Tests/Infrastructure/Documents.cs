using System.IO.Compression;
using System.Net.Http.Headers;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>Real documents made by the tests: PDFs with PdfPig's writer, DOCX files with the Open XML SDK.</summary>
internal static class Documents
{
    public static byte[] Pdf(params string[] lines)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        for (var i = 0; i < lines.Length; i++)
        {
            page.AddText(lines[i], 12, new PdfPoint(40, 780 - i * 20), font);
        }

        return builder.Build();
    }

    public static byte[] Docx(params string[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p)))).Cast<OpenXmlElement>()));
        }

        return stream.ToArray();
    }

    /// <summary>The time written into every zip entry, so that the same call gives the same bytes (the fuzzer's plans are compared byte for byte).</summary>
    private static readonly DateTimeOffset EntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A zip that looks like a DOCX but holds a part that expands a thousandfold.</summary>
    public static byte[] ZipBomb()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var types = new StreamWriter(Entry(zip, "[Content_Types].xml", CompressionLevel.Optimal).Open()))
            {
                types.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            }

            using (var document = new StreamWriter(Entry(zip, "word/document.xml", CompressionLevel.Optimal).Open()))
            {
                document.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>");
            }

            using var filler = Entry(zip, "word/media/filler.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 40; i++)
            {
                filler.Write(zeros);
            }
        }

        return stream.ToArray();
    }

    public static MultipartFormDataContent Upload(byte[] bytes, string fileName, string declaredType = "application/pdf")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = EntryTime;
        return entry;
    }
}
