using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;

namespace Ear.Api.Features.CvDocuments;

internal static class CvContentTypes
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
}

/// <summary>What an upload turned out to be: its real type and its text, or why it is refused.</summary>
internal abstract record CvInspection
{
    internal sealed record Accepted(string ContentType, string TextStatus, string Text) : CvInspection;

    /// <summary>Neither a PDF nor a DOCX, whatever its name or declared type said (415).</summary>
    internal sealed record UnsupportedType(string Reason) : CvInspection;

    /// <summary>A PDF or DOCX that cannot be read safely: empty, truncated, corrupt, or a decompression bomb (422).</summary>
    internal sealed record Unreadable(string Reason) : CvInspection;
}

/// <summary>
/// Recognises a CV by its content (signature and structure), never by its name, and extracts its text
/// within fixed bounds: a DOCX (a zip) is refused before it can expand past them.
/// </summary>
internal static class CvInspector
{
    public const int MaxTextLength = 500_000;
    private const int MaxZipEntries = 2_000;
    private const long MaxExpandedBytes = 100L * 1024 * 1024;
    private const long MaxCompressionRatio = 100;

    private static readonly byte[] PdfSignature = "%PDF-"u8.ToArray();
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    public static CvInspection Inspect(FileStream file)
    {
        if (file.Length == 0)
        {
            return new CvInspection.Unreadable("The file is empty.");
        }

        Span<byte> head = stackalloc byte[8];
        file.Position = 0;
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (head[..read].StartsWith(PdfSignature))
        {
            return InspectPdf(file);
        }

        if (head[..read].StartsWith(ZipSignature))
        {
            return InspectDocx(file);
        }

        return new CvInspection.UnsupportedType("The content is neither a PDF nor a DOCX document.");
    }

    private static CvInspection InspectPdf(FileStream file)
    {
        // A PDF ends with %%EOF (possibly followed by a line break): without it, the upload was cut short.
        var tailLength = (int)Math.Min(1024, file.Length);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        file.Position = 0;
        if (tail.AsSpan().LastIndexOf("%%EOF"u8) < 0)
        {
            return new CvInspection.Unreadable("The PDF is truncated: it has no end-of-file marker.");
        }

        try
        {
            using var document = PdfDocument.Open(file);
            var text = new StringBuilder();
            foreach (var page in document.GetPages())
            {
                text.AppendLine(string.Join(' ', page.GetWords().Select(w => w.Text)));
                if (text.Length > MaxTextLength)
                {
                    break;
                }
            }

            var extracted = Clip(text.ToString());
            return new CvInspection.Accepted(CvContentTypes.Pdf, extracted.Length == 0 ? "no_text" : "extracted", extracted);
        }
        catch (PdfDocumentEncryptedException)
        {
            return new CvInspection.Accepted(CvContentTypes.Pdf, "encrypted", "");
        }
        catch (Exception e) when (e is PdfDocumentFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException
                                      or InvalidCastException or NullReferenceException or FormatException or IOException)
        {
            return new CvInspection.Unreadable("The PDF is corrupt and cannot be read.");
        }
    }

    private static CvInspection InspectDocx(FileStream file)
    {
        try
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true))
            {
                if (zip.Entries.Count > MaxZipEntries)
                {
                    return new CvInspection.Unreadable($"The document has more than {MaxZipEntries} parts.");
                }

                if (zip.GetEntry("[Content_Types].xml") is null || zip.GetEntry("word/document.xml") is null)
                {
                    return new CvInspection.UnsupportedType("The zip file is not a Word (DOCX) document.");
                }

                // Declared sizes can lie, so every part is really expanded, through a counter that stops at the bound.
                long expanded = 0;
                var buffer = new byte[81920];
                foreach (var entry in zip.Entries)
                {
                    if (entry.Length > MaxExpandedBytes || (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio && entry.Length > 1024 * 1024))
                    {
                        return Bomb();
                    }

                    using var part = entry.Open();
                    long partBytes = 0;
                    int n;
                    while ((n = part.Read(buffer)) > 0)
                    {
                        expanded += n;
                        partBytes += n;
                        if (expanded > MaxExpandedBytes || (partBytes > 1024 * 1024 && partBytes / Math.Max(1, entry.CompressedLength) > MaxCompressionRatio))
                        {
                            return Bomb();
                        }
                    }
                }
            }

            file.Position = 0;
            using var document = WordprocessingDocument.Open(file, isEditable: false);
            var body = document.MainDocumentPart?.Document?.Body;
            var text = body is null
                ? ""
                : string.Join('\n', body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
            var extracted = Clip(text);
            return new CvInspection.Accepted(CvContentTypes.Docx, extracted.Length == 0 ? "no_text" : "extracted", extracted);
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or System.Xml.XmlException or IOException or InvalidOperationException)
        {
            return new CvInspection.Unreadable("The DOCX document is corrupt and cannot be read.");
        }

        static CvInspection Bomb() => new CvInspection.Unreadable(
            $"The DOCX document expands beyond what a CV can be (more than {MaxExpandedBytes / (1024 * 1024)} MB, or compressed more than {MaxCompressionRatio} to 1).");
    }

    private static string Clip(string text)
    {
        var trimmed = text.Replace('\0', ' ').Trim();
        return trimmed.Length <= MaxTextLength ? trimmed : trimmed[..MaxTextLength];
    }
}
