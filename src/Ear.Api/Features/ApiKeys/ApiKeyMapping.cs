using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.ApiKeys;

/// <summary>A key's row as the API shows it: never its hash; the wire calls key_prefix "prefix".</summary>
internal sealed class ApiKeyMapping : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<ApiKeyRow, ApiKeyResponse>()
            .Map(response => response.Prefix, row => row.KeyPrefix)
            .Map(response => response.MemberState, row => row.MemberState == null ? null : row.MemberState.Trim());

    public static ApiKeyResponse ToResponse(ApiKeyRow row) => row.Adapt<ApiKeyResponse>(MappingSetup.Configuration);
}
