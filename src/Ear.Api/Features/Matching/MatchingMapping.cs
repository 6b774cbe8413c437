using System.Text.Json;
using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Matching;

internal sealed class MatchingMapping : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<RunRow, MatchingRun>()
            .Map(run => run.Request, row => StoredJson<MatchingRequest>(row.Request))
            .Map(run => run.Response, row => StoredJson<MatchingResponse>(row.Response));

    public static MatchingRun ToRun(RunRow row) => row.Adapt<MatchingRun>(MappingSetup.Configuration);

    /// <summary>
    /// A stored request or answer as today's record: leniently (not the strict request-body rules), so that a
    /// run stored before a field was added or removed still reads, the new field null.
    /// </summary>
    private static T StoredJson<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web) ?? throw new InvalidDataException("A stored matching run is empty.");
}
