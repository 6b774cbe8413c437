using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Platform.Http;

/// <summary>
/// Checks every request makes before it reaches a handler: no NUL character in the path or the query
/// (PostgreSQL cannot store one, so it would otherwise surface as a server error deep in a query), and
/// the security headers every answer carries.
/// </summary>
internal static class RequestGuards
{
    /// <summary>Kestrel does not announce itself: a Server header only helps whoever looks for a known flaw.</summary>
    public static void AddEarRequestGuards(this WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

    public static void UseEarRequestGuards(this WebApplication app) => app.Use(async (context, next) =>
    {
        SecurityHeaders(context);
        if (NulParameter(context.Request) is { } field)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["NUL (U+0000) characters are not allowed."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request holds a character that cannot be used.",
                },
            });
            return;
        }

        if (UnreadableCharset(context.Request) is { } charset)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "Send the body as UTF-8.",
                    Detail = $"The Content-Type names the charset '{LogText.Cut(charset, 40)}'; JSON and CSV bodies are read as UTF-8 only.",
                },
            });
            return;
        }

        await next(context);
    });

    /// <summary>A charset other than UTF-8 (or its ASCII subset): the body readers would fail on it deep inside a handler.</summary>
    private static string? UnreadableCharset(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.Charset.HasValue
        && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        && !type.Charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            ? type.Charset.Value ?? ""
            : null;

    private static string? NulParameter(HttpRequest request)
    {
        if ((request.Path.Value ?? "").Contains('\0'))
        {
            return "path";
        }

        foreach (var (name, values) in request.Query)
        {
            if (name.Contains('\0') || values.Any(v => v?.Contains('\0') == true))
            {
                return LogText.Cut(name.Replace('\0', ' '), 100);
            }
        }

        return null;
    }

    /// <summary>
    /// Nothing here is meant to be sniffed, framed or cached by a shared cache: answers hold personal data,
    /// and a browser that renders an uploaded CV as HTML would run what an attacker put in it. Handlers
    /// that serve cacheable data set their own Cache-Control, which is left alone.
    /// </summary>
    private static void SecurityHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        }

        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (string.IsNullOrEmpty(response.Headers.CacheControl))
            {
                response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context.Response);
    }
}
