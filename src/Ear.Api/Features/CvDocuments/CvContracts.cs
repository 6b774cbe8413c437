using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.CvDocuments;

/// <summary>One stored version of an expert's CV.</summary>
/// <param name="Version">1 for the first upload, then one more for each new file.</param>
/// <param name="Sha256">The file's SHA-256, in lowercase hex; also its download's ETag.</param>
/// <param name="SizeBytes">The file's size in bytes.</param>
/// <param name="ContentType">The type found by reading the file, whatever its name said.</param>
/// <param name="FileName">The name it is downloaded under.</param>
/// <param name="TextStatus">extracted, encrypted (stored, no text could be read), no_text (an image-only document) or not_extracted (stored without text: no consent to cv_text_extraction, or it was withdrawn).</param>
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

/// <summary>What a CV is downloaded for: the audit records it, and cv_sharing needs the expert's consent to it.</summary>
internal static class CvDownloadPurposes
{
    public const string RosterManagement = "roster_management";
    public const string CvSharing = "cv_sharing";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [RosterManagement] = "to keep the roster (check, correct, match the profile); what a focal point's download is for when it names none",
        [CvSharing] = "to send the CV to a beneficiary administration; refused (409) without the expert's consent to cv_sharing",
    };
}

/// <summary>The query of a CV download.</summary>
internal sealed record CvDownloadQuery
{
    /// <summary>What the download is for. Required of admins (the MIEUX team, who share CVs with beneficiaries); a focal point's download without one counts as roster_management. Ignored by HEAD, which discloses nothing.</summary>
    [FromQuery(Name = "purpose"), OneOf(typeof(CvDownloadPurposes), nameof(CvDownloadPurposes.All))]
    public string? Purpose { get; init; }
}
