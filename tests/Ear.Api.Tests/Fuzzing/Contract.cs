using System.Text.Json.Nodes;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// What the fuzzer needs of the committed OpenAPI document: every operation with its parameters and
/// request body, and the component schemas the bodies refer to. Read with System.Text.Json, so that the
/// fuzzer sees exactly the file clients code against.
/// </summary>
internal sealed class Contract
{
    private readonly JsonObject _schemas;

    private Contract(IReadOnlyList<Operation> operations, JsonObject schemas)
    {
        Operations = operations;
        _schemas = schemas;
    }

    public IReadOnlyList<Operation> Operations { get; }

    public static Contract Committed { get; } = Load(RepositoryRoot.Find("openapi/ear.v1.json"));

    public static Contract Load(string path)
    {
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var operations = new List<Operation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node is not JsonObject operation || method is "parameters" or "summary" or "description")
                {
                    continue;
                }

                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new Parameter(
                        p!["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        p["schema"]?["type"]?.GetValue<string>() ?? "string",
                        p["schema"]?["format"]?.GetValue<string>()))
                    .ToList();
                var bodies = operation["requestBody"]?["content"]?.AsObject()
                    .Select(c => new BodyContent(c.Key, c.Value?["schema"]?.DeepClone() as JsonObject))
                    .ToList() ?? [];
                operations.Add(new Operation(
                    operation["operationId"]?.GetValue<string>() ?? $"{method.ToUpperInvariant()} {template}",
                    new HttpMethod(method.ToUpperInvariant()),
                    template,
                    parameters,
                    bodies));
            }
        }

        return new Contract(operations, document["components"]!["schemas"]!.AsObject());
    }

    public Operation Find(string operationId) =>
        Operations.SingleOrDefault(o => o.Id == operationId)
        ?? throw new ArgumentException($"{operationId} is not an operation of the contract.", nameof(operationId));

    /// <summary>A schema with its $ref followed (one level; the caller recurses through properties).</summary>
    public JsonObject Resolve(JsonObject schema)
    {
        for (var guard = 0; schema["$ref"] is { } reference && guard < 16; guard++)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            schema = _schemas[name] as JsonObject ?? throw new InvalidOperationException($"The contract has no schema {name}.");
        }

        return schema;
    }

    /// <summary>The component name a schema refers to, for telling apart properties of the same name.</summary>
    public static string? NameOf(JsonObject schema) => schema["$ref"]?.GetValue<string>().Split('/')[^1];
}

internal sealed record Operation(string Id, HttpMethod Method, string PathTemplate, IReadOnlyList<Parameter> Parameters, IReadOnlyList<BodyContent> Bodies)
{
    public IEnumerable<Parameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<Parameter> QueryParameters => Parameters.Where(p => p.In == "query");

    public override string ToString() => $"{Id} ({Method} {PathTemplate})";
}

internal sealed record Parameter(string Name, string In, string Type, string? Format);

internal sealed record BodyContent(string MediaType, JsonObject? Schema);
