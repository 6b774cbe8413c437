using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ear.Api.Platform.Http;

/// <summary>
/// Request bodies are read as strictly as the contract states (additionalProperties: false): an unknown
/// property is refused rather than silently dropped (a misspelt "langauges" would otherwise erase an
/// expert's languages on PUT), a property given twice is refused rather than resolved by order, and
/// every date lies in the range the service can compute with.
/// </summary>
internal static class StrictJson
{
    public static void AddEarJson(this WebApplicationBuilder builder) =>
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Add(new BoundedDateConverter());
        });

    /// <summary>A value of a request body that is not what the contract expects, and what it expects.</summary>
    internal sealed class InvalidValueException(string expected) : JsonException(expected)
    {
        public string Expected { get; } = expected;
    }

    /// <summary>YYYY-MM-DD within <see cref="Dates"/>' range, so that period arithmetic can never overflow.</summary>
    private sealed class BoundedDateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Dates.TryParse(reader.GetString(), out var date))
            {
                return date;
            }

            throw new InvalidValueException(Dates.Expected);
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
