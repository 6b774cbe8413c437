using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// Makes each wire record's schema say what the serializer does: a property is required when it is always
/// written (or, in a request, when validation demands it: <see cref="RequestRequiredAttribute"/>), nullable
/// exactly when null can be written, and a closed set of words is an enum read from the code's table.
/// </summary>
internal sealed class WireSchemaFilter : ISchemaFilter
{

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || target.Properties is not { Count: > 0 } || !IsOurs(context.Type))
        {
            return;
        }

        target.Required ??= new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in WireProperties(context.Type))
        {
            var name = JsonName(property);
            if (!target.Properties.TryGetValue(name, out var propertySchema))
            {
                continue;
            }

            var omittedWhenNull = property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is
                JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
            var requestRequired = property.IsDefined(typeof(RequestRequiredAttribute));
            var nullable = !omittedWhenNull && !requestRequired && CanBeNull(property);
            if (requestRequired || !omittedWhenNull)
            {
                target.Required.Add(name);
            }

            propertySchema = SetNullable(propertySchema, nullable);
            Describe(propertySchema, property);
            target.Properties[name] = propertySchema;
        }
    }

    internal static bool IsOurs(Type type) => type.Namespace?.StartsWith("Ear.Api", StringComparison.Ordinal) == true;

    internal static IEnumerable<PropertyInfo> WireProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition != JsonIgnoreCondition.Always);

    internal static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    // A NullabilityInfoContext is not thread-safe, and documents may be generated concurrently: one per call.
    private static bool CanBeNull(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull);

    /// <summary>Applies the property's attributes: an enum from a table, a dictionary's closed keys, a format or range.</summary>
    internal static void Describe(IOpenApiSchema schema, ICustomAttributeProvider member)
    {
        var target = Concrete(schema);
        if (target is null)
        {
            return;
        }

        if (member.GetCustomAttributes(typeof(OneOfAttribute), false).Cast<OneOfAttribute>().FirstOrDefault() is { } oneOf)
        {
            var values = target.Items is OpenApiSchema items && target.Type?.HasFlag(JsonSchemaType.Array) == true ? items : target;
            values.Enum = oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            if (target.Type?.HasFlag(JsonSchemaType.Null) == true && values == target)
            {
                values.Enum.Add(null!);
            }

            // A vocabulary that says what each word means says it in the document too, beside the enum.
            if (oneOf.Meanings is { } meanings)
            {
                var words = string.Join("; ", meanings.Select(m => $"{m.Key}: {m.Value}"));
                target.Description = string.IsNullOrEmpty(target.Description) ? $"{words}." : $"{target.Description} Values: {words}.";
            }
        }

        if (member.GetCustomAttributes(typeof(KeysOneOfAttribute), false).Cast<KeysOneOfAttribute>().FirstOrDefault() is { } keys
            && target.AdditionalProperties is { } valueSchema)
        {
            target.Properties = keys.Values.ToDictionary(k => k, _ => valueSchema, StringComparer.Ordinal);
            target.AdditionalProperties = null;
            target.AdditionalPropertiesAllowed = false;
            if (keys.Always)
            {
                target.Required = new SortedSet<string>(keys.Values, StringComparer.Ordinal);
            }
        }

        if (member.GetCustomAttributes(typeof(WireFormatAttribute), false).Cast<WireFormatAttribute>().FirstOrDefault() is { } format)
        {
            Format(target, format);
        }
    }

    internal static void Format(OpenApiSchema target, WireFormatAttribute format)
    {
        var nullable = target.Type?.HasFlag(JsonSchemaType.Null) == true ? JsonSchemaType.Null : 0;
        switch (format.Type)
        {
            case "integer":
                target.Type = JsonSchemaType.Integer | nullable;
                target.Format = "int32";
                break;
            case "number":
                target.Type = JsonSchemaType.Number | nullable;
                target.Format = "double";
                break;
        }

        if (format.Format.Length > 0)
        {
            target.Format = format.Format;
        }

        if (!double.IsNaN(format.Minimum))
        {
            target.Minimum = format.Minimum.ToString(CultureInfo.InvariantCulture);
        }

        if (!double.IsNaN(format.Maximum))
        {
            target.Maximum = format.Maximum.ToString(CultureInfo.InvariantCulture);
        }

        if (format.MaxLength >= 0)
        {
            target.MaxLength = format.MaxLength;
        }
    }

    /// <summary>The schema to write facts into: the schema itself, or the allOf wrapper around a reference.</summary>
    private static OpenApiSchema? Concrete(IOpenApiSchema schema) => schema as OpenApiSchema;

    /// <summary>
    /// A nullable reference is written <c>oneOf: [{ $ref }, { type: object, nullable: true, enum: [null] }]</c>. OpenAPI 3.0.3
    /// lets <c>nullable</c> widen only its own schema's <c>type</c>, so <c>allOf: [{ $ref }], nullable: true</c> still refuses
    /// null through the referenced object schema, and NSwag reads that form as a new class derived from the referenced
    /// one (a client could not pass a ConsentRecord it read as the ConsentRecord it sends). The oneOf form says exactly
    /// "the record or null": NSwag reads it as the referenced class made nullable, openapi-typescript as <c>X | null</c>,
    /// and both linters accept it (a single-schema oneOf they would not, and nullable wants a type beside it).
    /// </summary>
    internal static IOpenApiSchema SetNullable(IOpenApiSchema schema, bool nullable)
    {
        switch (schema)
        {
            case OpenApiSchema { AllOf: [OpenApiSchemaReference reference] } wrapper when nullable:
                wrapper.AllOf = null;
                wrapper.Type = null;
                wrapper.OneOf = [reference, NullOnly()];
                return wrapper;
            case OpenApiSchema { AllOf.Count: > 0 } wrapper:
                wrapper.Type = null;
                return wrapper;
            case OpenApiSchema concrete when concrete.Type is { } type:
                concrete.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
                return concrete;
            case OpenApiSchemaReference reference when nullable:
                return new OpenApiSchema { OneOf = [reference, NullOnly()] };
            default:
                return schema;
        }
    }

    /// <summary>The schema whose one value is null, in OpenAPI 3.0 terms (every record the document references is an object).</summary>
    private static OpenApiSchema NullOnly() => new() { Type = JsonSchemaType.Object | JsonSchemaType.Null, Enum = [null!] };
}
