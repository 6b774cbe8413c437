namespace Ear.Api.Features.CvDocuments;

internal sealed record CvVersionRow
{
    public Guid ExpertId { get; init; }
    public int Version { get; init; }
    public byte[] Sha256 { get; init; } = [];
    public long SizeBytes { get; init; }
    public string ContentType { get; init; } = "";
    public string FileName { get; init; } = "";
    public string TextStatus { get; init; } = "";
    public Guid? UploadedBy { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
}
