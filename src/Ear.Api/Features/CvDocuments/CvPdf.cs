using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace Ear.Api.Features.CvDocuments;

/// <summary>
/// Reads a PDF CV. The structure is checked by hand first, cheaply, so that PdfPig never falls back to
/// its brute-force search of the whole file; then PdfPig reads it strictly, under a <see cref="CvBudget"/>
/// that every byte it reads and every stream it decodes is counted against.
/// </summary>
internal static class CvPdf
{
    /// <summary>
    /// Where %%EOF and startxref must be. The specification puts them on the last lines; writers that
    /// append a few bytes after %%EOF stay well inside a kilobyte.
    /// </summary>
    private const int TailLength = 1024;

    /// <summary>Incremental updates each add a section; a CV is saved a handful of times, not hundreds.</summary>
    private const int MaxCrossReferenceSections = 100;

    /// <summary>How far after a section its trailer dictionary (with /Prev) is looked for.</summary>
    private const int DictionaryWindow = 4096;

    /// <summary>A CV has a few dozen pages; the text of more is not read (and would be clipped anyway).</summary>
    private const int MaxPagesRead = 1_000;

    /// <summary>One decoded stream. A page's content of text is kilobytes; this leaves room for odd writers.</summary>
    private const long MaxDecodedStreamBytes = 32L * 1024 * 1024;

    /// <summary>
    /// Names that make a PDF do something when it is opened or clicked, or carry another file inside:
    /// scripts, launching programs, attachments, Flash/3D media, XFA forms (which carry scripts).
    /// Plain links (/URI) and /OpenAction to a page (/GoTo) are ordinary and allowed.
    /// </summary>
    private static readonly HashSet<string> ActiveContentNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "FileAttachment", "RichMedia", "XFA",
    };

    public static CvInspection Inspect(byte[] pdf, CvBudget budget)
    {
        if (StructureProblem(pdf) is { } structure)
        {
            return new CvInspection.Unreadable(structure);
        }

        if (IsAlsoAZip(pdf))
        {
            return new CvInspection.Refused("The PDF is also a zip archive (a polyglot file): it ends with a zip directory.");
        }

        if (ActiveContentInRawBytes(pdf) is { } found)
        {
            return ActiveContent(found);
        }

        try
        {
            var options = new ParsingOptions
            {
                UseLenientParsing = false,
                SkipMissingFonts = true,
                FilterProvider = new BudgetedFilterProvider(DefaultFilterProvider.Instance, budget),
            };
            using var document = PdfDocument.Open(new BudgetedStream(new MemoryStream(pdf, writable: false), budget), options);
            if (ActiveContentInObjects(document, budget) is { } hidden)
            {
                return ActiveContent(hidden);
            }

            var text = new StringBuilder();
            var pages = 0;
            foreach (var page in document.GetPages())
            {
                budget.Check();
                text.AppendLine(string.Join(' ', page.GetWords().Select(w => w.Text)));
                if (text.Length > CvInspector.MaxTextLength || ++pages >= MaxPagesRead)
                {
                    break;
                }
            }

            budget.Check();
            var extracted = CvInspector.Clip(text.ToString());
            return new CvInspection.Accepted(CvContentTypes.Pdf, extracted.Length == 0 ? CvTextStatuses.NoText : CvTextStatuses.Extracted, extracted);
        }
        catch (PdfDocumentEncryptedException)
        {
            // Its objects cannot be read, so only the raw scan above has looked for active content:
            // names are not encrypted, but those inside compressed object streams are out of its sight.
            return new CvInspection.Accepted(CvContentTypes.Pdf, CvTextStatuses.Encrypted, "");
        }
        catch (CvBudgetExceededException e)
        {
            return new CvInspection.Unreadable($"The PDF cannot be read within the limits: {e.Message}.");
        }
        catch (Exception e) when (budget.Exceeded is not null && e is not OperationCanceledException)
        {
            return new CvInspection.Unreadable($"The PDF cannot be read within the limits: {budget.Exceeded}.");
        }
        catch (Exception e) when (e is PdfDocumentFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException
                                      or InvalidCastException or NullReferenceException or FormatException or IOException or InvalidDataException
                                      or NotSupportedException or KeyNotFoundException or OverflowException)
        {
            return new CvInspection.Unreadable("The PDF is corrupt and cannot be read.");
        }
    }

    private static CvInspection.Refused ActiveContent(string name) =>
        new CvInspection.Refused($"The PDF holds active content or an attachment (/{name}); send a plain PDF, as printed to PDF.");

    /// <summary>
    /// Why the file's skeleton is unfit, or null: %%EOF and startxref in the tail, and startxref naming
    /// an offset inside the file where a cross-reference table or stream begins. Without this, PdfPig
    /// searches every byte of the file for objects (34 s of CPU for a 9 MB file).
    /// </summary>
    private static string? StructureProblem(byte[] pdf)
    {
        var tailStart = Math.Max(0, pdf.Length - TailLength);
        var tail = pdf.AsSpan(tailStart);
        if (tail.LastIndexOf("%%EOF"u8) < 0)
        {
            return "The PDF is truncated: it has no end-of-file marker.";
        }

        var startxref = tail.LastIndexOf("startxref"u8);
        if (startxref < 0)
        {
            return $"The PDF has no 'startxref' in its last {TailLength} bytes, so its cross-reference table cannot be found.";
        }

        var position = tailStart + startxref + "startxref".Length;
        if (!TryReadNumber(pdf, ref position, out var offset) || offset <= 0 || offset >= pdf.Length)
        {
            return "The PDF's 'startxref' does not name an offset inside the file.";
        }

        return IsCrossReferenceChainAt(pdf, (int)offset, [])
            ? null
            : "The PDF's 'startxref' does not lead to well-formed cross-reference sections.";
    }

    /// <summary>
    /// Whether a cross-reference table (its entries well-formed) or stream begins at the offset, and so
    /// do the earlier sections its /Prev names. PdfPig searches the whole file when any of them fails.
    /// </summary>
    private static bool IsCrossReferenceChainAt(byte[] pdf, int at, HashSet<int> seen)
    {
        if (at <= 0 || at >= pdf.Length || !seen.Add(at) || seen.Count > MaxCrossReferenceSections)
        {
            return false;
        }

        int dictionaryFrom;
        if (pdf.AsSpan(at).StartsWith("xref"u8))
        {
            var position = at + "xref".Length;
            while (true)
            {
                position = SkipWhitespace(pdf, position);
                if (pdf.AsSpan(position).StartsWith("trailer"u8))
                {
                    break;
                }

                if (!TryReadNumber(pdf, ref position, out _) || !TryReadNumber(pdf, ref position, out var count))
                {
                    return false;
                }

                for (var entry = 0L; entry < count; entry++)
                {
                    position = SkipWhitespace(pdf, position);
                    if (!TryReadNumber(pdf, ref position, out _) || !TryReadNumber(pdf, ref position, out _)
                        || SkipWhitespace(pdf, position) is var flag && (flag >= pdf.Length || pdf[flag] is not ((byte)'n' or (byte)'f')))
                    {
                        return false;
                    }

                    position = SkipWhitespace(pdf, position) + 1;
                }
            }

            dictionaryFrom = position;
        }
        else
        {
            // A cross-reference stream: "<object> <generation> obj << /Type /XRef ... >>".
            var position = at;
            if (!TryReadNumber(pdf, ref position, out _) || !TryReadNumber(pdf, ref position, out _)
                || !pdf.AsSpan(SkipWhitespace(pdf, position)).StartsWith("obj"u8)
                || pdf.AsSpan(position, Math.Min(DictionaryWindow, pdf.Length - position)).IndexOf("/XRef"u8) < 0)
            {
                return false;
            }

            dictionaryFrom = position;
        }

        var dictionary = pdf.AsSpan(dictionaryFrom, Math.Min(DictionaryWindow, pdf.Length - dictionaryFrom));
        var end = dictionary.IndexOf("startxref"u8);
        dictionary = end < 0 ? dictionary : dictionary[..end];
        var prev = dictionary.IndexOf("/Prev"u8);
        if (prev < 0)
        {
            return true;
        }

        var number = SkipWhitespace(pdf, dictionaryFrom + prev + "/Prev".Length);
        return TryReadNumber(pdf, ref number, out var previous) && previous < pdf.Length && IsCrossReferenceChainAt(pdf, (int)previous, seen);
    }

    /// <summary>
    /// True when a zip reader would open the file too: a zip end-of-central-directory record in the last
    /// 64 KiB whose central directory really is there (at its stated offset, or right before the record,
    /// as readers that tolerate data prepended to a zip look for it). A chance match of the four-byte
    /// signature inside compressed data does not pass the second test.
    /// </summary>
    internal static bool IsAlsoAZip(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> endOfDirectory = [0x50, 0x4B, 0x05, 0x06];
        ReadOnlySpan<byte> directoryEntry = [0x50, 0x4B, 0x01, 0x02];
        var searchFrom = Math.Max(0, file.Length - (ushort.MaxValue + 22));
        for (var end = file.Length; end > searchFrom;)
        {
            var found = file[searchFrom..end].LastIndexOf(endOfDirectory);
            if (found < 0)
            {
                return false;
            }

            var record = searchFrom + found;
            end = record;
            if (record + 22 > file.Length)
            {
                continue;
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(file[(record + 12)..]);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(file[(record + 16)..]);
            if ((offset < (uint)record && file[(int)offset..].StartsWith(directoryEntry))
                || (size > 0 && size <= (uint)record && file[(record - (int)size)..].StartsWith(directoryEntry)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first active-content name written in the file's own bytes, outside stream data (where page
    /// text lives), with #xx escapes undone (/J#61vaScript is /JavaScript). Objects packed into
    /// compressed object streams are not visible here; <see cref="ActiveContentInObjects"/> sees those.
    /// </summary>
    internal static string? ActiveContentInRawBytes(ReadOnlySpan<byte> pdf)
    {
        var name = new StringBuilder();
        for (var i = 0; i < pdf.Length; i++)
        {
            if (pdf[i] == (byte)'s' && IsStreamKeyword(pdf, i))
            {
                var end = pdf[i..].IndexOf("endstream"u8);
                if (end < 0)
                {
                    return null;
                }

                i += end + "endstream".Length - 1;
                continue;
            }

            if (pdf[i] != (byte)'/')
            {
                continue;
            }

            name.Clear();
            var j = i + 1;
            for (; j < pdf.Length && !IsDelimiterOrWhitespace(pdf[j]) && name.Length <= 32; j++)
            {
                if (pdf[j] == (byte)'#' && j + 2 < pdf.Length && IsHex(pdf[j + 1]) && IsHex(pdf[j + 2]))
                {
                    name.Append((char)Convert.ToByte(Encoding.ASCII.GetString(pdf.Slice(j + 1, 2)), 16));
                    j += 2;
                }
                else
                {
                    name.Append((char)pdf[j]);
                }
            }

            if (ActiveContentNames.Contains(name.ToString()))
            {
                return name.ToString();
            }

            i = j - 1;
        }

        return null;
    }

    /// <summary>Every name in every object the cross-reference table lists, compressed object streams included.</summary>
    private static string? ActiveContentInObjects(PdfDocument document, CvBudget budget)
    {
        var pending = new Stack<IToken>();
        foreach (var reference in document.Structure.CrossReferenceTable.ObjectOffsets.Keys)
        {
            budget.Check();
            pending.Push(document.Structure.GetObject(reference).Data);
            while (pending.TryPop(out var token))
            {
                switch (token)
                {
                    case NameToken name when ActiveContentNames.Contains(name.Data):
                        return name.Data;
                    case DictionaryToken dictionary:
                        foreach (var (key, value) in dictionary.Data)
                        {
                            if (ActiveContentNames.Contains(key))
                            {
                                return key;
                            }

                            pending.Push(value);
                        }

                        break;
                    case ArrayToken array:
                        foreach (var item in array.Data)
                        {
                            pending.Push(item);
                        }

                        break;
                    case StreamToken stream:
                        pending.Push(stream.StreamDictionary);
                        break;
                }
            }
        }

        return null;
    }

    private static bool IsStreamKeyword(ReadOnlySpan<byte> pdf, int i) =>
        pdf[i..].StartsWith("stream"u8)
        && (i == 0 || IsDelimiterOrWhitespace(pdf[i - 1]))
        && i + 6 < pdf.Length && pdf[i + 6] is (byte)'\r' or (byte)'\n';

    private static bool IsDelimiterOrWhitespace(byte b) =>
        b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or 0
            or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int SkipWhitespace(byte[] pdf, int position)
    {
        while (position < pdf.Length && pdf[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or 0)
        {
            position++;
        }

        return position;
    }

    /// <summary>Reads an unsigned integer after any whitespace.</summary>
    private static bool TryReadNumber(byte[] pdf, ref int position, out long value)
    {
        value = 0;
        position = SkipWhitespace(pdf, position);
        var start = position;
        while (position < pdf.Length && char.IsAsciiDigit((char)pdf[position]) && position - start < 12)
        {
            value = value * 10 + (pdf[position++] - '0');
        }

        return position > start;
    }

    /// <summary>
    /// The file as PdfPig sees it: it reads byte by byte through this, so every loop of its parser,
    /// brute-force searches included, meets the budget.
    /// </summary>
    private sealed class BudgetedStream(Stream inner, CvBudget budget) : Stream
    {
        private int _untilCheck;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set
            {
                Tick();
                inner.Position = value;
            }
        }

        public override int ReadByte()
        {
            Tick();
            return inner.ReadByte();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Tick();
            return inner.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            Tick();
            return inner.Read(buffer);
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            Tick();
            return inner.Seek(offset, origin);
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // Reading the clock on every byte would cost more than the parsing itself.
        private void Tick()
        {
            if (--_untilCheck <= 0)
            {
                _untilCheck = 4096;
                budget.Check();
            }
        }
    }

    /// <summary>PdfPig's own decoders, each made to count its output against the budget.</summary>
    private sealed class BudgetedFilterProvider(IFilterProvider inner, CvBudget budget) : IFilterProvider
    {
        public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => Wrap(inner.GetFilters(dictionary));

        public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => Wrap(inner.GetNamedFilters(names));

        public IReadOnlyList<IFilter> GetAllFilters() => Wrap(inner.GetAllFilters());

        private List<IFilter> Wrap(IReadOnlyList<IFilter> filters) => filters.Select(f => (IFilter)new BudgetedFilter(f, budget)).ToList();
    }

    private sealed class BudgetedFilter(IFilter inner, CvBudget budget) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            budget.Check();
            if (inner is FlateFilter)
            {
                // Flate is where a bomb hides: its output is measured, within the bounds, before PdfPig
                // allocates all of it at once.
                budget.Decode(FlateOutputLength(input, budget));
                return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            }

            // The other expanding filters are refused before they run when their worst case would pass the
            // bound (LZW codes grow output about 2,600 to 1, run-length 64 to 1): their output is allocated whole.
            if (input.Length * WorstExpansion(inner) > MaxDecodedStreamBytes)
            {
                budget.Refuse($"one of its streams could expand beyond {MaxDecodedStreamBytes / (1024 * 1024)} MB");
            }

            var output = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            if (output.Length > MaxDecodedStreamBytes)
            {
                budget.Refuse($"one of its streams expands beyond {MaxDecodedStreamBytes / (1024 * 1024)} MB");
            }

            budget.Decode(output.Length);
            return output;
        }

        private static long WorstExpansion(IFilter filter) => filter switch
        {
            LzwFilter => 2_600,
            RunLengthFilter => 64,
            _ => 1,
        };

        private static long FlateOutputLength(Memory<byte> input, CvBudget budget)
        {
            if (input.Length < 2)
            {
                return 0;
            }

            using var compressed = new MemoryStream(input[2..].ToArray(), writable: false);
            using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[81920];
            long total = 0;
            try
            {
                int read;
                while ((read = deflate.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > MaxDecodedStreamBytes)
                    {
                        budget.Refuse($"one of its streams expands beyond {MaxDecodedStreamBytes / (1024 * 1024)} MB");
                    }

                    budget.Check();
                }
            }
            catch (InvalidDataException)
            {
                // PdfPig keeps what it could decode of a damaged stream; it cannot be more than was read.
            }

            return total;
        }
    }
}
