using Ear.Api.Auth;
using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Experts;

internal sealed class ExpertMapping : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<ExpertRow, ExpertResponse>()
            .Map(response => response.Origin, row => ExpertVocabulary.OriginOf(row.Kind))
            .Map(response => response.Consent, row => row.ConsentRecordedAt == null
                ? null
                : new ConsentRecord(row.ConsentRecordedAt, row.ConsentRecordedBy, row.ConsentBasis))
            .Ignore(response => response.Languages, response => response.Themes, response => response.Unavailability);

    /// <summary>
    /// The profile as the caller may see it: Mapster copies the columns name for name; readers (other
    /// systems) never see e-mail or phone.
    /// </summary>
    public static ExpertResponse ToResponse(ExpertRow row, ExpertChildren children, Caller caller)
    {
        var response = row.Adapt<ExpertResponse>(MappingSetup.Configuration) with
        {
            Languages = children.Languages[row.Id].Select(l => new LanguageSkill(l.LanguageCode, l.Level)).ToList(),
            Themes = children.Themes[row.Id].Select(t => new ThemeSkill(t.ThemeCode, t.Level)).ToList(),
            Unavailability = children.Unavailability[row.Id].Select(u => new DatePeriod(u.From, u.To)).ToList(),
        };
        return caller.Role == Roles.Reader ? response with { Email = null, Phone = null } : response;
    }
}
