using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>The RFC 9457 problem details every error is written as, described field by field.</summary>
internal sealed class ProblemSchemas : ISchemaFilter
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["type"] = "A URI reference naming the kind of problem (the RFC 9110 section of the status).",
        ["title"] = "A short summary of the problem, the same for every occurrence of the kind.",
        ["status"] = "The HTTP status code.",
        ["detail"] = "What went wrong in this occurrence, in words.",
        ["instance"] = "The request the problem occurred in (its method and path).",
        ["errors"] = "Messages by field: a JSON path into the body (themes[0].code) or a query parameter's name.",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.Type) || schema is not OpenApiSchema target)
        {
            return;
        }

        target.Description = context.Type == typeof(ProblemDetails)
            ? "An RFC 9457 problem. Some carry more members: traceId, and where a refusal names records, e.g. clashingDeployments."
            : "An RFC 9457 problem naming each failing field.";
        foreach (var (name, property) in target.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (property is OpenApiSchema field && Fields.TryGetValue(name, out var description))
            {
                field.Description = description;
            }
        }
    }
}
