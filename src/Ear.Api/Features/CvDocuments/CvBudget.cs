using System.Diagnostics;

namespace Ear.Api.Features.CvDocuments;

/// <summary>Thrown when reading an uploaded file goes past one of its budgets; the message names the limit.</summary>
internal sealed class CvBudgetExceededException(string limit) : Exception(limit);

/// <summary>
/// The work one upload may cost: wall time and decoded bytes. Parsers cannot be stopped from outside,
/// so they are made to ask: the PDF parser's every read and every decoded stream, and the DOCX reader's
/// element loop, call <see cref="Check"/>. Once exceeded it stays exceeded, so a parser that swallows
/// the exception somewhere inside still meets it at the next question, and the caller can ask at the end.
/// </summary>
internal sealed class CvBudget(TimeSpan time, long decodedBytes, CancellationToken cancellationToken)
{
    /// <summary>
    /// Wall time for the inspection of one file. A normal CV of a few pages is read in well under a
    /// second; the hostile files of the tests are refused by the structural limits long before this.
    /// It is wall rather than CPU time because .NET has no portable per-thread CPU clock, so on a busy
    /// machine it is generous on purpose.
    /// </summary>
    public static readonly TimeSpan DefaultTime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// All PDF streams decoded for one file together. A 10 MB PDF of text and images decodes to a few
    /// times its size; a flate stream can expand a thousandfold and would exhaust memory.
    /// </summary>
    public const long DefaultDecodedBytes = 200L * 1024 * 1024;

    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _decoded;

    public string? Exceeded { get; private set; }

    public static CvBudget Start(CancellationToken cancellationToken) => new(DefaultTime, DefaultDecodedBytes, cancellationToken);

    public void Check()
    {
        if (Exceeded is null && _elapsed.Elapsed > time)
        {
            Exceeded = $"reading it took longer than the {time.TotalSeconds:0} s allowed for one file";
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Exceeded is not null)
        {
            throw new CvBudgetExceededException(Exceeded);
        }
    }

    /// <summary>Refuses the file for <paramref name="reason"/>, which every later <see cref="Check"/> repeats.</summary>
    public void Refuse(string reason)
    {
        Exceeded ??= reason;
        Check();
    }

    /// <summary>Counts bytes a decoder is about to produce, refusing before they are allocated where the caller can tell.</summary>
    public void Decode(long bytes)
    {
        if (Exceeded is null && (_decoded += bytes) > decodedBytes)
        {
            Exceeded = $"its compressed streams expand beyond {decodedBytes / (1024 * 1024)} MB";
        }

        Check();
    }
}
