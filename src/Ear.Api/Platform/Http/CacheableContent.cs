using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Ear.Api.Platform.OpenApi;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ear.Api.Platform.Http;

/// <summary>
/// For data that changes only with a migration (themes, countries, regions, languages): an ETag that is
/// the hash of the answer's JSON, and Cache-Control that lets the client (never a shared cache: the
/// answer needs a key) keep it for a while and revalidate it with If-None-Match, answered 304 by
/// <see cref="ConditionalGet"/>.
/// </summary>
internal static class CacheableContent
{
    public static TBuilder WithCacheableContent<TBuilder>(this TBuilder builder, TimeSpan maxAge) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RouteDocs.ETagHeader()).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (result is IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
            {
                var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options));
                context.HttpContext.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"";
                context.HttpContext.Response.Headers.CacheControl = $"private, max-age={(int)maxAge.TotalSeconds}";
            }

            return result;
        });
}
