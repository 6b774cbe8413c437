using Ear.Api.Auth;
using Ear.Api.Features.Audit;
using Ear.Api.Features.Consent;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.OpenApi;
using Ear.Api.Platform.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Features.CvDocuments;

internal static class CvApi
{
    public const int DefaultMaxBytes = 10 * 1024 * 1024;

    public static void MapCvDocuments(this IEndpointRouteBuilder app)
    {
        var cv = app.MapGroup("/api/v1/experts/{id:guid}/cv").WithTags("CVs").RequireAuthorization(Policies.RosterWriter)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        cv.MapPost("/", UploadAsync).WithName("UploadCv")
            .WithSummary("Upload a CV (multipart/form-data, field 'file'): PDF or DOCX, recognised by content, at most 10 MB. The same bytes again make no new version.")
            .WithDescription("Admins, and focal points for their own member state's experts (404 otherwise, before the body is read). " +
                "The answer is 201 with the new version, or 200 with the existing one when the same bytes were uploaded before. " +
                "415 when the file is neither PDF nor DOCX; 422 when it carries active content (scripts, macros, embedded files, remote templates) or cannot be read.")
            .Accepts<IFormFile>("multipart/form-data")
            .AcceptsFile("file", "The CV: a PDF or DOCX file of at most 10 MB.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cv.MapGet("/", DownloadLatestAsync).WithName("DownloadCv")
            .WithSummary("The latest CV file, with its Content-Type, Content-Disposition and ETag (its SHA-256).")
            .WithDescription("Admins, and focal points for their own member state's experts. 404 when the expert has no CV. An admin must say what the download is for " +
                "(purpose, 400 without it); purpose=cv_sharing is refused (409 naming purpose) without the expert's consent to cv_sharing. Every download is audited with its purpose.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesFile(CvContentTypes.All.ToArray())
            .ProducesETag();
        cv.MapMethods("/", [HttpMethods.Head], DownloadLatestAsync).WithName("HeadCv")
            .WithSummary("The latest CV's headers without the file: Content-Type, Content-Length, Content-Disposition and ETag.")
            .WithDescription("What GET would send, without the body: to learn whether a CV exists, its size and whether the copy held is current. Not audited: no personal data leaves.")
            .ProducesFileHeaders()
            .ProducesETag();
        cv.MapGet("/versions", ListVersionsAsync).WithName("ListCvVersions")
            .WithSummary("Every version of the expert's CV, oldest first.")
            .WithDescription("Admins, and focal points for their own member state's experts: each version's metadata, no file.");
        cv.MapGet("/versions/{version:int}", DownloadVersionAsync).WithName("DownloadCvVersion")
            .WithSummary("One version of the CV file.")
            .WithDescription("Admins, and focal points for their own member state's experts. 404 when there is no such version. Purpose as for DownloadCv. " +
                "Every download is audited with its purpose.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesFile(CvContentTypes.All.ToArray())
            .ProducesETag();
        cv.MapMethods("/versions/{version:int}", [HttpMethods.Head], DownloadVersionAsync).WithName("HeadCvVersion")
            .WithSummary("One CV version's headers without the file.")
            .WithDescription("What GET would send for this version, without the body. Not audited: no personal data leaves.")
            .ProducesFileHeaders()
            .ProducesETag();
    }

    private static async Task<Results<Created<CvVersion>, Ok<CvVersion>, ProblemHttpResult>> UploadAsync(
        Guid id, Caller caller, HttpContext context, Db db, IConfiguration configuration, CancellationToken cancellationToken)
    {
        // Before a byte of the body is read: a key that may not see the expert costs no parsing at all.
        if (!await db.ReadAsync((connection, token) => CvQueries.IsVisibleAsync(connection, id, caller.MemberState, token), cancellationToken))
        {
            return ExpertNotFound(id);
        }

        await using var file = CvTempFiles.Create();
        var (received, refused) = await CvUpload.ReceiveAsync(context, file, configuration.GetValue("Ear:Cv:MaxBytes", DefaultMaxBytes), cancellationToken);
        if (received is null)
        {
            EarMetrics.CvUploaded(CvUploadOutcomes.OfReceiving(refused!.StatusCode));
            return refused;
        }

        var inspection = await CvInspector.InspectAsync(file, cancellationToken);
        if (inspection is not CvInspection.Accepted accepted)
        {
            return Refusal(inspection);
        }

        var (row, isNew) = await StoreAsync(db, id, caller, file, received, accepted, cancellationToken);
        if (row is null)
        {
            return ExpertNotFound(id);
        }

        EarMetrics.CvUploaded(isNew ? CvUploadOutcomes.Stored : CvUploadOutcomes.Unchanged);
        return isNew
            ? TypedResults.Created($"/api/v1/experts/{id}/cv/versions/{row.Version}", CvMapping.ToVersion(row))
            : TypedResults.Ok(CvMapping.ToVersion(row));
    }

    private static ProblemHttpResult Refusal(CvInspection inspection)
    {
        EarMetrics.CvUploaded(inspection switch
        {
            CvInspection.UnsupportedType => CvUploadOutcomes.UnsupportedType,
            CvInspection.Refused => CvUploadOutcomes.ActiveContent,
            CvInspection.Unreadable unreadable => CvUploadOutcomes.OfUnreadable(unreadable.Reason),
            _ => throw new InvalidOperationException($"Unknown inspection {inspection}."),
        });
        return inspection switch
        {
            CvInspection.UnsupportedType unsupported => Problem(StatusCodes.Status415UnsupportedMediaType, "Only PDF and DOCX CVs are accepted.", unsupported.Reason),
            CvInspection.Refused dangerous => Problem(StatusCodes.Status422UnprocessableEntity, "The CV holds active content or another format.", dangerous.Reason),
            CvInspection.Unreadable unreadable => Problem(StatusCodes.Status422UnprocessableEntity, "The CV cannot be read.", unreadable.Reason),
            _ => throw new InvalidOperationException($"Unknown inspection {inspection}."),
        };
    }

    /// <summary>
    /// The new version, or the version that already holds these bytes (isNew false); no row when the expert
    /// went out of the caller's sight since the first check.
    /// </summary>
    private static async Task<(CvVersionRow? Row, bool IsNew)> StoreAsync(Db db, Guid id, Caller caller, FileStream file, CvReceived received,
        CvInspection.Accepted accepted, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            file.Position = 0; // here, not before: a transaction the server rolls back runs again
            if (!await CvWrites.LockExpertAsync(connection, transaction, id, caller.MemberState, token))
            {
                return (Row: (CvVersionRow?)null, IsNew: false);
            }

            if (await CvWrites.FindBySha256Async(connection, transaction, id, received.Sha256, token) is { } existing)
            {
                return (Row: existing, IsNew: false);
            }

            // The text was read to inspect the file; it is kept only with the expert's consent to its extraction.
            var (textStatus, text) = await ConsentQueries.IsGrantedAsync(connection, transaction, id, ConsentVocabulary.CvTextExtraction, token)
                ? (accepted.TextStatus, accepted.Text)
                : (CvTextStatuses.NotExtracted, "");
            var inserted = await CvWrites.InsertAsync(connection, transaction, id, received.Sha256, file, accepted.ContentType,
                SafeExtension(received.FileName, accepted.ContentType), textStatus, text, caller.KeyId, token);
            return (Row: inserted, IsNew: true);
        }, cancellationToken);

    private static Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> DownloadLatestAsync(
        Guid id, [AsParameters] CvDownloadQuery query, Caller caller, HttpContext context, Db db, CancellationToken cancellationToken) =>
        DownloadAsync(id, null, query, caller, context, db, cancellationToken);

    private static Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> DownloadVersionAsync(
        Guid id, int version, [AsParameters] CvDownloadQuery query, Caller caller, HttpContext context, Db db, CancellationToken cancellationToken) =>
        DownloadAsync(id, version, query, caller, context, db, cancellationToken);

    private static async Task<Results<Ok<IReadOnlyList<CvVersion>>, ProblemHttpResult>> ListVersionsAsync(
        Guid id, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var versions = await db.ReadAsync(async (connection, token) =>
            !await CvQueries.IsVisibleAsync(connection, id, caller.MemberState, token) ? null : await CvQueries.ListAsync(connection, id, token),
            cancellationToken);
        return versions is null ? ExpertNotFound(id) : TypedResults.Ok<IReadOnlyList<CvVersion>>(versions.Select(CvMapping.ToVersion).ToList());
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> DownloadAsync(
        Guid id, int? version, CvDownloadQuery query, Caller caller, HttpContext context, Db db, CancellationToken cancellationToken)
    {
        var head = HttpMethods.IsHead(context.Request.Method);
        var errors = new ValidationErrors();
        var purpose = head ? null : ReadPurpose(errors, query, caller);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (row, mayShare) = await db.ReadAsync(async (connection, token) =>
            !await CvQueries.IsVisibleAsync(connection, id, caller.MemberState, token)
                ? (null, false)
                : (await CvQueries.GetAsync(connection, id, version, token),
                   purpose != CvDownloadPurposes.CvSharing || await ConsentQueries.IsGrantedAsync(connection, null, id, ConsentVocabulary.CvSharing, token)),
            cancellationToken);
        if (row is null)
        {
            return Problem(StatusCodes.Status404NotFound, version is null ? "No CV." : "No such CV version.",
                $"There is no {(version is null ? "CV" : $"version {version} of the CV")} of an expert {id} that this key may see.");
        }

        if (purpose is not null)
        {
            AuditTrail.RecordPurpose(context, purpose);
        }

        if (!mayShare)
        {
            return TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["purpose"] = ["The expert has not consented to cv_sharing (or withdrew it): the CV may not be sent to a beneficiary administration."],
            })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "No consent to share this CV.",
            });
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(row.FileName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        context.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(row.Sha256)}\"";
        context.Response.ContentLength = row.SizeBytes;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return TypedResults.Stream(static _ => Task.CompletedTask, row.ContentType);
        }

        return TypedResults.Stream(
            body => db.ReadAsync(async (connection, token) =>
            {
                await CvQueries.CopyContentAsync(connection, id, row.Version, body, token);
                return true;
            }, context.RequestAborted).AsTask(),
            row.ContentType);
    }

    /// <summary>An admin says what each download is for; a focal point's is roster management unless it says otherwise.</summary>
    private static string? ReadPurpose(ValidationErrors errors, CvDownloadQuery query, Caller caller) =>
        Fields.OneOf(errors, "purpose", query.Purpose, CvDownloadPurposes.All.Keys, required: caller.IsAdmin)
            ?? (caller.IsAdmin ? null : CvDownloadPurposes.RosterManagement);

    /// <summary>Gives the stored name the extension of what the file really is.</summary>
    private static string SafeExtension(string name, string contentType)
    {
        var extension = contentType == CvContentTypes.Pdf ? ".pdf" : ".docx";
        return name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? name : Path.GetFileNameWithoutExtension(name) + extension;
    }

    private static ProblemHttpResult ExpertNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "No such expert.", $"There is no expert {id} that this key may see.");

    internal static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
