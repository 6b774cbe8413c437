using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Platform.Http;

/// <summary>
/// Answers a GET whose If-None-Match names the ETag the handler just set with 304 Not Modified and no
/// body, so a script polling an expert, an action or a CV pays for a version check, not a transfer.
/// It wraps every endpoint; handlers only set their ETag.
/// </summary>
internal static class ConditionalGet
{
    public static TBuilder WithConditionalGet<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                || http.Request.Headers.IfNoneMatch.Count == 0
                || !EntityTagHeaderValue.TryParse(http.Response.Headers.ETag.ToString(), out var current)
                || !IsSuccess(result))
            {
                return result;
            }

            return EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var asked)
                   && asked.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false))
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : result;
        });

    /// <summary>A 200 the handler is about to write; results nest inside the Results&lt;…&gt; unions handlers declare.</summary>
    private static bool IsSuccess(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result switch
        {
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } => true,
            PushStreamHttpResult or FileStreamHttpResult or FileContentHttpResult => true,
            _ => false,
        };
    }
}
