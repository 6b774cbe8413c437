using Ear.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// The OpenAPI document (served at /swagger/v1/swagger.json, committed as openapi/ear.v1.json) is the
/// contract clients code against: operationIds come from each route's WithName.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static void AddEarOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "EAR: Expert and Action Roster",
                Version = "v1",
                Description = "The roster of MIEUX peer experts and actions: profiles, themes, actions, deployments, " +
                              "evaluations, CVs, matching and reports. Every endpoint but /health/* needs an API key " +
                              $"in the {ApiKeyAuthentication.HeaderName} header. Errors are RFC 9457 problem+json.",
            });
            options.AddSecurityDefinition(ApiKeyAuthentication.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.HeaderName,
                Description = "An API key issued by an EAR admin.",
            });
            options.OperationFilter<ApiKeyRequirement>();
            options.SupportNonNullableReferenceTypes();
            options.CustomSchemaIds(type => type.FullName!.Replace("Ear.Api.Features.", "", StringComparison.Ordinal)
                .Replace('+', '.').Split('.').Last());
        });
    }

    public static void UseEarOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options => options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "EAR v1"));
    }

    /// <summary>Marks every operation that is not anonymous as needing the API key, and documents its 401.</summary>
    private sealed class ApiKeyRequirement : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.Scheme, context.Document)] = [],
            });
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid API key was sent." });
        }
    }
}
