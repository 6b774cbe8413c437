using System.Text.Json;
using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Changes;

/// <summary>An event row as the feed and the webhooks send it: its data is the trigger's jsonb, read into the typed record.</summary>
internal sealed class ChangeMapping : IRegister
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<ChangeRow, ChangeEvent>()
            .Map(change => change.Data, row => ReadData(row.Data));

    public static ChangeEvent ToEvent(ChangeRow row) => row.Adapt<ChangeEvent>(MappingSetup.Configuration);

    public static ChangeData ReadData(string json) => JsonSerializer.Deserialize<ChangeData>(json, Wire) ?? new ChangeData();

    /// <summary>The event as JSON, in the shape of the API's answers: what a webhook body holds.</summary>
    public static string ToJson(ChangeEvent change) => JsonSerializer.Serialize(change, Wire);
}
