using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// A schema that requests use requires what validation demands (<see cref="RequestRequiredAttribute"/>), not
/// every property: <see cref="WireSchemaFilter"/> cannot tell, schema by schema, whether the service ever
/// writes the record, and a record it writes has every property present. A schema shared by requests and
/// responses (a language skill, a period, a stored matching request) takes the request's rule: a generated
/// client must be able to leave out what the service does not demand, and an answer that always carries a
/// property is still valid against a schema that does not require it.
/// </summary>
internal sealed class RequestOnlySchemas : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var operations = swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).ToList();
        var requested = Reachable(schemas, operations.SelectMany(o => o.RequestBody?.Content?.Values ?? []).Select(m => m.Schema));
        var types = typeof(RequestOnlySchemas).Assembly.GetTypes().Where(WireSchemaFilter.IsOurs)
            .GroupBy(OpenApiSetup.SchemaId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        foreach (var id in requested)
        {
            if (schemas[id] is OpenApiSchema schema && types.TryGetValue(id, out var type))
            {
                schema.Required = new SortedSet<string>(
                    WireSchemaFilter.WireProperties(type).Where(p => p.IsDefined(typeof(RequestRequiredAttribute))).Select(WireSchemaFilter.JsonName),
                    StringComparer.Ordinal);
            }
        }
    }

    private static HashSet<string> Reachable(IDictionary<string, IOpenApiSchema> schemas, IEnumerable<IOpenApiSchema?> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && seen.Add(id) && schemas.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])
                         .Append(schema.Items).Append(schema.AdditionalProperties).OfType<IOpenApiSchema>())
            {
                pending.Push(child);
            }
        }

        return seen;
    }
}
