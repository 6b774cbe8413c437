using System.Reflection;
using System.Text.Json;
using Ear.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// What every operation shares and no handler signature says: the API key and the refusals every keyed
/// request may meet (401, 403 under a role policy, 429, 503, and 400 for a malformed request), problem+json
/// for every error, the rate-limit headers on every counted answer, and the headers, files, parameters and
/// examples the route table declares (<see cref="RouteDocs"/>).
/// </summary>
internal sealed class WireOperationFilter : IOperationFilter
{
    private static readonly Dictionary<string, string> IdOwners = new(StringComparer.Ordinal)
    {
        ["experts"] = "The expert's id.",
        ["actions"] = "The action's id.",
        ["activities"] = "The activity's id.",
        ["deployments"] = "The deployment's id.",
        ["api-keys"] = "The API key's id.",
        ["runs"] = "The matching run's id.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var keyed = !metadata.OfType<IAllowAnonymous>().Any();
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("400", new OpenApiResponse());
        if (keyed)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.Scheme, context.Document)] = [],
            });
            operation.Responses.TryAdd("401", new OpenApiResponse());
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
            {
                operation.Responses.TryAdd("403", new OpenApiResponse());
            }

            operation.Responses.TryAdd("429", new OpenApiResponse());
            operation.Responses.TryAdd("503", new OpenApiResponse());
        }

        else
        {
            operation.Security = [];
        }

        if (metadata.OfType<RouteDocs.FileDownload>().Any() || metadata.OfType<RouteDocs.FileHeaders>().Any() || metadata.OfType<RouteDocs.CsvOnly>().Any())
        {
            operation.Responses.TryAdd("200", new OpenApiResponse());
        }

        if (operation.RequestBody is not null)
        {
            operation.Responses.TryAdd("415", new OpenApiResponse());
        }

        var conditional = metadata.OfType<RouteDocs.ETagHeader>().Any() && context.ApiDescription.HttpMethod is "GET" or "HEAD";
        if (conditional)
        {
            operation.Responses.TryAdd("304", new OpenApiResponse());
        }

        DescribeParameters(operation, context);
        DescribeRequestBody(operation, context, metadata);
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (response is OpenApiResponse concrete)
            {
                DescribeResponse(status, concrete, context, metadata, keyed);
            }
        }

        if (conditional)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Description = "The ETag of the copy the client holds: when it is still the current one, the answer is 304 without a body.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = "\"3\"",
            });
        }

        // Declared on the GET heavy reads only: matching and planning honour the header too, but declaring it there puts a
        // parameter before their optional body in generated clients (NSwag), which breaks every positional call.
        if (IsHeavyRead(metadata) && context.ApiDescription.HttpMethod is "GET")
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = WireHeaders.WalPosition,
                In = ParameterLocation.Header,
                Description = "To read your own writes when the service runs with standbys: the Ear-Wal-Position a write answered. " +
                              "A standby serves this read only once it has replayed that far (else the primary does); 400 when it is not a WAL position.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9A-F]{1,8}/[0-9A-F]{1,8}$" },
                Example = "0/3000148",
            });
        }

        if (metadata.OfType<RouteDocs.IfMatchHeader>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                Description = "The ETag of the version this change was made to, as GET returned it (or * for any version). " +
                              "Without it the answer is 428; when the resource has changed since, 412 with the current ETag.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = "\"3\"",
            });
        }
    }

    private static void DescribeResponse(string status, OpenApiResponse response, OperationFilterContext context, IList<object> metadata, bool keyed)
    {
        var code = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
        response.Description = ResponseDescriptions.For(code, response.Description);
        response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        if (code >= 400)
        {
            var problem = context.SchemaGenerator.GenerateSchema(
                code == 400 ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), context.SchemaRepository);
            response.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = problem },
            };
        }

        // A 503 may come before the key could be looked up, and so before any budget was counted.
        if (keyed && code != StatusCodes.Status503ServiceUnavailable)
        {
            AddHeader(response, context, WireHeaders.RateLimitPolicy);
            AddHeader(response, context, WireHeaders.RateLimit);
        }

        switch (code)
        {
            case 201:
                AddHeader(response, context, WireHeaders.Location);
                break;
            case 401:
                AddHeader(response, context, WireHeaders.WwwAuthenticate);
                break;
            case 429 or 503:
                AddHeader(response, context, WireHeaders.RetryAfter);
                break;
        }

        if (code is >= 200 and < 300 && context.ApiDescription.HttpMethod is not ("GET" or "HEAD"))
        {
            AddHeader(response, context, WireHeaders.WalPosition);
        }

        if (code is >= 200 and < 300 && IsHeavyRead(metadata))
        {
            AddHeader(response, context, WireHeaders.ReadFrom);
        }

        if (metadata.OfType<RouteDocs.ETagHeader>().Any() && code is 200 or 201 or 304)
        {
            AddHeader(response, context, WireHeaders.ETag);
        }

        if (code == 200 && metadata.OfType<RouteDocs.FileHeaders>().Any())
        {
            AddHeader(response, context, WireHeaders.ContentDisposition);
            response.Content = null;
        }

        if (code == 200 && metadata.OfType<RouteDocs.FileDownload>().FirstOrDefault() is { } download)
        {
            AddHeader(response, context, WireHeaders.ContentDisposition);
            response.Content = download.ContentTypes.ToDictionary(
                type => type,
                _ => (IOpenApiMediaType)new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                StringComparer.Ordinal);
        }

        if (code == 200 && metadata.OfType<RouteDocs.CsvAlternative>().FirstOrDefault() is { } csv)
        {
            response.Content ??= new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal);
            response.Content.Remove("text/plain");
            response.Content["text/csv"] = Csv(csv.Description);
        }

        if (code == 200 && metadata.OfType<RouteDocs.CsvOnly>().FirstOrDefault() is { } csvOnly)
        {
            response.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal) { ["text/csv"] = Csv(csvOnly.Description) };
        }

        if (response.Headers.Count == 0)
        {
            response.Headers = null;
        }
    }

    /// <summary>
    /// CSV as a body of bytes (format binary): generated clients hand it over as a stream or a blob to read as text,
    /// where a plain string schema makes NSwag parse the body as a JSON string.
    /// </summary>
    private static OpenApiMediaType Csv(string description) =>
        new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = description } };

    private static bool IsHeavyRead(IList<object> metadata) =>
        metadata.OfType<IEndpointNameMetadata>().FirstOrDefault() is { } name && WireHeaders.HeavyReads.Contains(name.EndpointName);

    private static void AddHeader(OpenApiResponse response, OperationFilterContext context, string name) =>
        response.Headers![name] = new OpenApiHeaderReference(name, context.Document);

    private static void DescribeParameters(OpenApiOperation operation, OperationFilterContext context)
    {
        var query = context.MethodInfo?.GetParameters()
            .FirstOrDefault(p => p.IsDefined(typeof(AsParametersAttribute)))?.ParameterType;
        if (query?.BaseType is { } baseType && baseType != typeof(object) && operation.Parameters is { Count: > 1 } parameters)
        {
            // Reflection lists a derived record's own properties first; a client's parameters keep the order they are
            // declared in, the base record's (the search filter) before the derived one's (the page).
            var declared = query.GetProperties().OrderBy(p => p.DeclaringType == query).Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name).ToList();
            operation.Parameters = [.. parameters.OrderBy(p => p.In == ParameterLocation.Query
                ? declared.FindIndex(name => string.Equals(name, p.Name, StringComparison.OrdinalIgnoreCase))
                : -1)];
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In == ParameterLocation.Path)
            {
                var segments = context.ApiDescription.RelativePath!.Split('/');
                var at = Array.FindIndex(segments, s => s.StartsWith("{" + parameter.Name, StringComparison.Ordinal));
                parameter.Description ??= parameter.Name == "version"
                    ? "The CV version number: 1 for the first upload, then one more for each new file."
                    : IdOwners.GetValueOrDefault(segments[at - 1], "The resource's id.");
                continue;
            }

            var property = query?.GetProperties().FirstOrDefault(p =>
                string.Equals(p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (property is not null && parameter.Schema is OpenApiSchema schema)
            {
                WireSchemaFilter.Describe(schema, property);
                schema.Type &= ~JsonSchemaType.Null;
                parameter.Description ??= XmlDocs.Summary(property);
            }
        }
    }

    private static void DescribeRequestBody(OpenApiOperation operation, OperationFilterContext context, IList<object> metadata)
    {
        if (operation.RequestBody is not OpenApiRequestBody body)
        {
            return;
        }

        if (metadata.OfType<RouteDocs.FileUpload>().FirstOrDefault() is { } upload)
        {
            body.Required = true;
            body.Description = upload.Description;
            body.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
            {
                ["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new SortedSet<string>(StringComparer.Ordinal) { upload.Field },
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            [upload.Field] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = upload.Description },
                        },
                    },
                },
            };
            return;
        }

        var bodyType = context.ApiDescription.ParameterDescriptions
            .FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)?.Type;
        if (bodyType is null)
        {
            return;
        }

        body.Description ??= XmlDocs.Summary(bodyType) ?? "The request, as JSON.";
        if (RequestExamples.For(bodyType) is { } example && body.Content?.TryGetValue("application/json", out var media) == true
            && media is OpenApiMediaType json)
        {
            json.Example = JsonSerializer.SerializeToNode(example, example.GetType(), JsonSerializerOptions.Web);
        }
    }
}
