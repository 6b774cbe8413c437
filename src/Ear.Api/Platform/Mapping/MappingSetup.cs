using Mapster;

namespace Ear.Api.Platform.Mapping;

internal static class MappingSetup
{
    /// <summary>Every feature's <see cref="IRegister"/> in this assembly, compiled once at startup.</summary>
    public static TypeAdapterConfig Configuration { get; } = CreateConfiguration();

    public static void AddEarMapping(this WebApplicationBuilder builder) => builder.Services.AddSingleton(Configuration);

    private static TypeAdapterConfig CreateConfiguration()
    {
        var config = new TypeAdapterConfig();
        config.Scan(typeof(MappingSetup).Assembly);
        config.Compile();
        return config;
    }
}
