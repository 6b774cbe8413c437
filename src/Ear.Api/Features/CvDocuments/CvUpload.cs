using System.Security.Cryptography;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Features.CvDocuments;

/// <summary>The file field of an upload, written to a private temporary file, with the name it was sent under and its hash.</summary>
internal sealed record CvReceived(string FileName, byte[] Sha256);

/// <summary>Reads the multipart body of an upload into a temporary file, held to the size limit.</summary>
internal static class CvUpload
{
    public static async Task<(CvReceived? File, ProblemHttpResult? Problem)> ReceiveAsync(
        HttpContext context, FileStream file, int maxBytes, CancellationToken cancellationToken)
    {
        // Room for the multipart envelope around the file; the file itself is held to maxBytes below.
        var maxBody = maxBytes + 64 * 1024;
        if (context.Request.ContentLength > maxBody)
        {
            return (null, TooLarge(maxBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBody;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return (null, CvApi.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the CV as multipart/form-data with a field named 'file'.", null));
        }

        string? fileName = null;
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024 };
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var section = await reader.ReadNextSectionAsync(cancellationToken); section is not null; section = await reader.ReadNextSectionAsync(cancellationToken))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.Name.Equals("file", StringComparison.Ordinal) || fileName is not null)
                {
                    continue;
                }

                fileName = SafeFileName(disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
                var limited = new LimitedStream(section.Body, maxBytes);
                var buffer = new byte[81920];
                int read;
                while ((read = await limited.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await ServerSide(file.WriteAsync(buffer.AsMemory(0, read), cancellationToken));
                }
            }

            await ServerSide(file.FlushAsync(cancellationToken));
            return fileName is null
                ? (null, TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { ["file"] = ["Required: a form field named 'file' holding the CV."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "No file was sent.",
                }))
                : (new CvReceived(fileName, hash.GetHashAndReset()), null);
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            // MultipartReader throws InvalidDataException for a header line without a colon and for its
            // length and count limits, IOException for a body cut short; the sender's fault in every case.
            return (null, CvApi.Problem(StatusCodes.Status400BadRequest, "The multipart body is malformed or was cut short.", e.Message));
        }
    }

    /// <summary>
    /// A failure to write the temporary file (a full disk) is the service's, not the sender's: it must not be
    /// taken for a body cut short (an IOException too) and answered 400.
    /// </summary>
    private static async Task ServerSide(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (IOException e)
        {
            throw new InvalidOperationException("The CV's temporary file could not be written.", e);
        }
    }

    private static Task ServerSide(Task write) => ServerSide(new ValueTask(write));

    /// <summary>The name as sent, without any folder, control or quoting characters, at most 200 characters.</summary>
    private static string SafeFileName(string? sent)
    {
        var name = Path.GetFileName((sent ?? "").Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c) && c is not '"' and not '/' and not '\\').ToArray()).Trim();
        return name.Length == 0 ? "cv" : name.Length > 200 ? name[..200] : name;
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        CvApi.Problem(StatusCodes.Status413PayloadTooLarge, "The CV is too large.", $"At most {maxBytes / (1024 * 1024)} MB.");
}
