using Ear.Api.Auth;
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
                Contact = new OpenApiContact { Name = "The MIEUX team, ICMPD" },
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
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.IncludeXmlComments(XmlDocs.FilePath, includeControllerXmlComments: false);
            options.SchemaFilter<WireSchemaFilter>();
            options.SchemaFilter<ProblemSchemas>();
            options.OperationFilter<WireOperationFilter>();
            options.DocumentFilter<WireHeaders>();
            options.DocumentFilter<RequestOnlySchemas>();
            options.CustomSchemaIds(SchemaId);
        });
    }

    public static void UseEarOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options => options.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "EAR v1"));
    }

    /// <summary>A record's name without its namespace or enclosing class: the names are unique, and clients read them.</summary>
    public static string SchemaId(Type type) => type.FullName!.Replace('+', '.').Split('.').Last();
}
