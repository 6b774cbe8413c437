namespace Ear.Api.Features.CvDocuments;

internal static class CvContentTypes
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static readonly IReadOnlyList<string> All = [Pdf, Docx];
}

/// <summary>Whether a CV's text could be read: it feeds the roster's free-text search.</summary>
internal static class CvTextStatuses
{
    public const string Extracted = "extracted";

    /// <summary>An encrypted PDF: stored, but no text could be read.</summary>
    public const string Encrypted = "encrypted";

    /// <summary>No text in it, e.g. a scanned, image-only document.</summary>
    public const string NoText = "no_text";

    /// <summary>Stored without its text: the expert has not consented to text extraction, or withdrew that consent.</summary>
    public const string NotExtracted = "not_extracted";

    public static readonly IReadOnlyList<string> All = [Extracted, Encrypted, NoText, NotExtracted];
}

/// <summary>What an upload turned out to be: its real type and its text, or why it is refused.</summary>
internal abstract record CvInspection
{
    internal sealed record Accepted(string ContentType, string TextStatus, string Text) : CvInspection;

    /// <summary>Neither a PDF nor a DOCX, whatever its name or declared type said (415).</summary>
    internal sealed record UnsupportedType(string Reason) : CvInspection;

    /// <summary>A PDF or DOCX that cannot be read within the limits: empty, truncated, corrupt, a bomb, too deep (422).</summary>
    internal sealed record Unreadable(string Reason) : CvInspection;

    /// <summary>A readable PDF or DOCX that carries active content or is also another format (422).</summary>
    internal sealed record Refused(string Reason) : CvInspection;
}

/// <summary>
/// Recognises a CV by its content (signature and structure), never by its name, and extracts its text
/// within fixed bounds (<see cref="CvPdf"/>, <see cref="CvDocx"/>, <see cref="CvBudget"/>).
/// </summary>
internal static class CvInspector
{
    public const int MaxTextLength = 500_000;

    private static readonly byte[] PdfSignature = "%PDF-"u8.ToArray();
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>
    /// Parsing hostile files is CPU work that cannot be interrupted from outside, so no more of them run
    /// at once than there are cores: a burst of uploads waits instead of starving every other request.
    /// </summary>
    private static readonly SemaphoreSlim Parsers = new(Environment.ProcessorCount);

    public static async Task<CvInspection> InspectAsync(FileStream file, CancellationToken cancellationToken)
    {
        await Parsers.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Inspect(file, CvBudget.Start(cancellationToken)), cancellationToken);
        }
        finally
        {
            Parsers.Release();
        }
    }

    public static CvInspection Inspect(FileStream file, CvBudget budget)
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
            // At most the upload limit (10 MB): held in memory, PdfPig reads it without a system call per byte.
            var pdf = new byte[file.Length];
            file.ReadExactly(pdf);
            file.Position = 0;
            return CvPdf.Inspect(pdf, budget);
        }

        if (head[..read].StartsWith(ZipSignature))
        {
            return CvDocx.Inspect(file, budget);
        }

        return new CvInspection.UnsupportedType("The content is neither a PDF nor a DOCX document.");
    }

    public static string Clip(string text)
    {
        var trimmed = text.Replace('\0', ' ').Trim();
        return trimmed.Length <= MaxTextLength ? trimmed : trimmed[..MaxTextLength];
    }
}
