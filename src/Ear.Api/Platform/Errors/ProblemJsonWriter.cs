using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ear.Api.Platform.Errors;

/// <summary>
/// Writes every problem as application/problem+json, whatever the request's Accept header names.
/// ASP.NET Core's own writer declines when Accept lists neither JSON nor */* (a CSV export, a PDF
/// download), and the refusal then surfaced as an empty 500; a script asking for text/csv with a
/// revoked key must still read a 401 it can understand. RFC 9457 permits answering an error in the
/// problem format even when the client asked for something else.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<JsonOptions> json, IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        problem.Status ??= response.StatusCode;
        (problem.Type, problem.Title) = (problem.Type ?? Standard(problem.Status.Value).Type, problem.Title ?? Standard(problem.Status.Value).Title);
        options.Value.CustomizeProblemDetails?.Invoke(context);

        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, ContentType,
            context.HttpContext.RequestAborted));
    }

    /// <summary>The RFC 9110 section and reason phrase for a status, as ASP.NET Core's default writer gives them.</summary>
    private static (string? Type, string? Title) Standard(int status) => status switch
    {
        400 => ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
        401 => ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
        403 => ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
        404 => ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
        405 => ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
        406 => ("https://tools.ietf.org/html/rfc9110#section-15.5.7", "Not Acceptable"),
        408 => ("https://tools.ietf.org/html/rfc9110#section-15.5.9", "Request Timeout"),
        409 => ("https://tools.ietf.org/html/rfc9110#section-15.5.10", "Conflict"),
        411 => ("https://tools.ietf.org/html/rfc9110#section-15.5.12", "Length Required"),
        412 => ("https://tools.ietf.org/html/rfc9110#section-15.5.13", "Precondition Failed"),
        413 => ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Content Too Large"),
        414 => ("https://tools.ietf.org/html/rfc9110#section-15.5.15", "URI Too Long"),
        415 => ("https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type"),
        422 => ("https://tools.ietf.org/html/rfc9110#section-15.5.21", "Unprocessable Content"),
        428 => ("https://tools.ietf.org/html/rfc6585#section-3", "Precondition Required"),
        429 => ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
        431 => ("https://tools.ietf.org/html/rfc6585#section-5", "Request Header Fields Too Large"),
        500 => ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "An error occurred while processing your request."),
        503 => ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable"),
        _ => (null, null),
    };
}
