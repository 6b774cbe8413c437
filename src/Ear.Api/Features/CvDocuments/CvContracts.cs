using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.CvDocuments;

/// <summary>One stored version of an expert's CV.</summary>
/// <param name="Version">1 for the first upload, then one more for each new file.</param>
/// <param name="Sha256">The file's SHA-256, in lowercase hex; also its download's ETag.</param>
/// <param name="SizeBytes">The file's size in bytes.</param>
/// <param name="ContentType">The type found by reading the file, whatever its name said.</param>
/// <param name="FileName">The name it is downloaded under.</param>
/// <param name="TextStatus">extracted, encrypted (stored, no text could be read) or no_text (an image-only document).</param>
/// <param name="UploadedBy">The API key that uploaded it; null when not recorded.</param>
/// <param name="UploadedAt">When it was uploaded.</param>
internal sealed record CvVersion(
    [property: WireFormat(Minimum = 1)] int Version,
    string Sha256,
    long SizeBytes,
    [property: OneOf(typeof(CvContentTypes), nameof(CvContentTypes.All))] string ContentType,
    string FileName,
    [property: OneOf(typeof(CvTextStatuses), nameof(CvTextStatuses.All))] string TextStatus,
    Guid? UploadedBy,
    DateTimeOffset UploadedAt);
