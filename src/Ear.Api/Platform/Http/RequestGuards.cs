using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Platform.Http;

/// <summary>
/// What every answer carries (security headers) and what every request is checked for before a handler
/// sees it: no NUL character in the path or the query (PostgreSQL cannot store one, so it would surface
/// as a server error deep in a query) and a body in UTF-8 (the body readers fail on anything else).
/// </summary>
internal static class RequestGuards
{
    /// <summary>Kestrel does not announce itself: a Server header only helps whoever looks for a known flaw.</summary>
    public static void AddEarRequestGuards(this WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

    /// <summary>
    /// Nothing here is meant to be sniffed, framed or cached by a shared cache: answers hold personal data,
    /// and a browser that renders an uploaded CV as HTML would run what an attacker put in it. Handlers
    /// that serve cacheable data set their own Cache-Control, which is left alone. Written as the answer
    /// starts, so that they survive the exception handler clearing the response.
    /// </summary>
    public static void UseEarSecurityHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var (request, response) = ((HttpRequest, HttpResponse))state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (request.Path.StartsWithSegments("/api"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, (context.Request, context.Response));
        return next(context);
    });

    /// <summary>Runs after the rate limiter, so that a flood of malformed requests is counted like any other.</summary>
    public static void UseEarRequestGuards(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (NulParameter(context.Request) is { } field)
        {
            await Problems.WriteAsync(context, new ValidationProblemDetails(
                new Dictionary<string, string[]> { [field] = ["NUL (U+0000) characters are not allowed."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request holds a character that cannot be used.",
            });
            return;
        }

        if (UnreadableCharset(context.Request) is { } charset)
        {
            await Problems.WriteAsync(context, new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Send the body as UTF-8.",
                Detail = $"The Content-Type names the charset '{LogText.Cut(charset, 40)}'; JSON and CSV bodies are read as UTF-8 only.",
            });
            return;
        }

        await next(context);
    });

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

    /// <summary>A charset other than UTF-8 (or its ASCII subset).</summary>
    private static string? UnreadableCharset(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.Charset.HasValue
        && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        && !type.Charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            ? type.Charset.Value ?? ""
            : null;
}
