using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Ear.Api.Features.CvDocuments;

/// <summary>
/// Reads a DOCX CV. Every part is expanded through a counter before anything is parsed, and the XML is
/// read by a streaming <see cref="XmlReader"/> that refuses DTDs and counts depth and elements. The
/// Open XML SDK is not used here: it builds the document as a tree by recursion, and a 2 KB file
/// nesting 90,000 paragraphs overflowed the stack and killed the process.
/// </summary>
internal static class CvDocx
{
    private const int MaxZipEntries = 2_000;
    private const long MaxExpandedBytes = 100L * 1024 * 1024;
    private const long MaxCompressionRatio = 100;

    /// <summary>
    /// Nesting of XML elements. Word writes a few dozen levels even for tables inside tables; deep
    /// nesting has no use in a CV and is how parsers are driven into recursion.
    /// </summary>
    private const int MaxXmlDepth = 256;

    /// <summary>Elements in one XML part. A 300-page document has a few hundred thousand.</summary>
    private const int MaxXmlElements = 1_000_000;

    /// <summary>Characters in one XML part after decompression (about 32 MB of XML): a 300-page document has a few.</summary>
    private const long MaxXmlCharacters = 32L * 1024 * 1024;

    private const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>
    /// Parts that carry code or other programs' content: macros (vbaProject.bin, vbaData.xml), ActiveX
    /// controls, and embedded objects or packages. A CV needs none of them.
    /// </summary>
    private static readonly string[] ActivePartMarkers = ["vbaproject", "vbadata", "activex/", "embeddings/", "oleobject"];

    /// <summary>Content types of the same, declared in [Content_Types].xml (a macro-enabled document says macroEnabled).</summary>
    private static readonly string[] ActiveContentTypeMarkers = ["macroenabled", "vbaproject", "activex", "oleobject"];

    /// <summary>
    /// Relationships that load or run something: remote templates (the classic template-injection
    /// attack) and the same parts as above. An external relationship is allowed only for a hyperlink.
    /// </summary>
    private static readonly string[] ActiveRelationshipMarkers = ["/vbaproject", "/oleobject", "/activexcontrol", "/package", "/attachedtemplate", "/subdocument"];

    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxXmlCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    public static CvInspection Inspect(FileStream file, CvBudget budget)
    {
        try
        {
            if (ContainsPdfHeader(file))
            {
                return new CvInspection.Refused("The DOCX document also holds a PDF (a polyglot file or an embedded PDF).");
            }

            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxZipEntries)
            {
                return new CvInspection.Unreadable($"The document has more than {MaxZipEntries} parts.");
            }

            if (zip.GetEntry("[Content_Types].xml") is not { } contentTypes || zip.GetEntry("word/document.xml") is not { } document)
            {
                return new CvInspection.UnsupportedType("The zip file is not a Word (DOCX) document.");
            }

            if (zip.Entries.FirstOrDefault(e => ActivePartMarkers.Any(m => e.FullName.Contains(m, StringComparison.OrdinalIgnoreCase))) is { } active)
            {
                return new CvInspection.Refused($"The DOCX document holds macros, ActiveX controls or embedded objects ('{active.FullName}'); save it as a plain .docx.");
            }

            if (ExpansionProblem(zip, budget) is { } bomb)
            {
                return new CvInspection.Unreadable(bomb);
            }

            if (ActiveContentType(contentTypes, budget) is { } type)
            {
                return new CvInspection.Refused($"The DOCX document declares active content ('{type}'); save it as a plain .docx.");
            }

            foreach (var relationships in zip.Entries.Where(e => e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
            {
                if (ActiveRelationship(relationships, budget) is { } relationship)
                {
                    return new CvInspection.Refused($"The DOCX document links to something that would be loaded or run ({relationship}); save it as a plain .docx.");
                }
            }

            var extracted = CvInspector.Clip(ReadText(document, budget));
            return new CvInspection.Accepted(CvContentTypes.Docx, extracted.Length == 0 ? CvTextStatuses.NoText : CvTextStatuses.Extracted, extracted);
        }
        catch (CvBudgetExceededException e)
        {
            return new CvInspection.Unreadable($"The DOCX document cannot be read within the limits: {e.Message}.");
        }
        catch (XmlException e)
        {
            // Names the limit when one was hit: a DTD, MaxCharactersInDocument, or plain malformed XML.
            return new CvInspection.Unreadable($"The DOCX document's XML is refused: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException)
        {
            return new CvInspection.Unreadable("The DOCX document is corrupt and cannot be read.");
        }
    }

    /// <summary>A PDF reader finds "%PDF-" anywhere in the first kilobyte, so any stored PDF inside the zip makes it a PDF too.</summary>
    private static bool ContainsPdfHeader(FileStream file)
    {
        var buffer = new byte[81920 + 4];
        file.Position = 0;
        int read, kept = 0;
        while ((read = file.Read(buffer, kept, buffer.Length - kept)) > 0)
        {
            var filled = kept + read;
            if (buffer.AsSpan(0, filled).IndexOf("%PDF-"u8) >= 0)
            {
                file.Position = 0;
                return true;
            }

            // Keep the last four bytes in case the marker straddles two reads.
            kept = Math.Min(4, filled);
            buffer.AsSpan(filled - kept, kept).CopyTo(buffer);
        }

        file.Position = 0;
        return false;
    }

    /// <summary>Declared sizes can lie, so every part is really expanded, through a counter that stops at the bound.</summary>
    private static string? ExpansionProblem(ZipArchive zip, CvBudget budget)
    {
        var bomb = $"The DOCX document expands beyond what a CV can be (more than {MaxExpandedBytes / (1024 * 1024)} MB, or compressed more than {MaxCompressionRatio} to 1).";
        long expanded = 0;
        var buffer = new byte[81920];
        foreach (var entry in zip.Entries)
        {
            if (entry.Length > MaxExpandedBytes || (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio && entry.Length > 1024 * 1024))
            {
                return bomb;
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
                    return bomb;
                }
            }

            budget.Check();
        }

        return null;
    }

    private static string? ActiveContentType(ZipArchiveEntry contentTypes, CvBudget budget)
    {
        using var xml = new BoundedXmlReader(contentTypes, budget);
        var reader = xml.Node;
        while (xml.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.GetAttribute("ContentType") is { } type
                && ActiveContentTypeMarkers.Any(m => type.Contains(m, StringComparison.OrdinalIgnoreCase)))
            {
                return type;
            }
        }

        return null;
    }

    private static string? ActiveRelationship(ZipArchiveEntry relationships, CvBudget budget)
    {
        using var xml = new BoundedXmlReader(relationships, budget);
        var reader = xml.Node;
        while (xml.Read())
        {
            if (reader is not { NodeType: XmlNodeType.Element, LocalName: "Relationship", NamespaceURI: RelationshipsNamespace })
            {
                continue;
            }

            var type = reader.GetAttribute("Type") ?? "";
            var external = string.Equals(reader.GetAttribute("TargetMode"), "External", StringComparison.OrdinalIgnoreCase);
            if (ActiveRelationshipMarkers.Any(m => type.EndsWith(m, StringComparison.OrdinalIgnoreCase))
                || (external && !type.EndsWith("/hyperlink", StringComparison.OrdinalIgnoreCase)))
            {
                return $"{type[(type.LastIndexOf('/') + 1)..]}{(external ? " to an external target" : "")}";
            }
        }

        return null;
    }

    /// <summary>The text of the w:t runs, a line per paragraph; reading stops once there is more than a CV keeps.</summary>
    private static string ReadText(ZipArchiveEntry document, CvBudget budget)
    {
        var text = new StringBuilder();
        using var xml = new BoundedXmlReader(document, budget);
        var reader = xml.Node;
        var inText = false;
        while (xml.Read() && text.Length <= CvInspector.MaxTextLength)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.NamespaceURI == WordNamespace:
                    inText = reader.LocalName == "t" && !reader.IsEmptyElement;
                    if (reader.LocalName is "tab")
                    {
                        text.Append(' ');
                    }
                    else if (reader.LocalName is "br" or "cr")
                    {
                        text.Append('\n');
                    }

                    break;
                case XmlNodeType.EndElement when reader.NamespaceURI == WordNamespace:
                    inText = false;
                    if (reader.LocalName == "p")
                    {
                        text.Append('\n');
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inText:
                    text.Append(reader.Value);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>One XML part read node by node, held to the depth, element and time limits.</summary>
    private sealed class BoundedXmlReader(ZipArchiveEntry entry, CvBudget budget) : IDisposable
    {
        private readonly XmlReader _reader = XmlReader.Create(entry.Open(), SafeXml);
        private int _elements;

        public XmlReader Node => _reader;

        public bool Read()
        {
            if (!_reader.Read())
            {
                return false;
            }

            if (_reader.NodeType == XmlNodeType.Element)
            {
                if (_reader.Depth > MaxXmlDepth)
                {
                    throw new CvBudgetExceededException($"its XML nests deeper than {MaxXmlDepth} levels");
                }

                if (++_elements > MaxXmlElements)
                {
                    throw new CvBudgetExceededException($"an XML part has more than {MaxXmlElements:N0} elements");
                }

                if (_elements % 4096 == 0)
                {
                    budget.Check();
                }
            }

            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
