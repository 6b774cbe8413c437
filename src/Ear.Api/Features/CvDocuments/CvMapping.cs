using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.CvDocuments;

/// <summary>A stored CV version as the API shows it, here because the expert's data export lists them too.</summary>
internal sealed class CvMapping : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<CvVersionRow, CvVersion>()
            .Map(version => version.Sha256, row => Convert.ToHexStringLower(row.Sha256));

    public static CvVersion ToVersion(CvVersionRow row) => row.Adapt<CvVersion>(MappingSetup.Configuration);
}
