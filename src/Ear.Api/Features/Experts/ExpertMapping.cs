using System.Text.Json;
using Ear.Api.Auth;
using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Experts;

internal sealed class ExpertMapping : IRegister
{
    private static readonly JsonSerializerOptions ListJson = new(JsonSerializerDefaults.Web);

    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<ExpertRow, ExpertResponse>()
            .Map(response => response.Origin, row => ExpertVocabulary.OriginOf(row.Kind))
            .Map(response => response.ProfileState, row => row.PendingReconfirmationSince == null ? ExpertVocabulary.Confirmed : ExpertVocabulary.PendingReconfirmation)
            .Map(response => response.Consent, row => row.ConsentRecordedAt == null
                ? null
                : new ConsentRecord(row.ConsentRecordedAt, row.ConsentRecordedBy, row.ConsentBasis))
            .Ignore(response => response.Languages, response => response.Themes, response => response.Unavailability);

    /// <summary>
    /// The profile as the caller may see it: Mapster copies the columns name for name; readers (other
    /// systems) never see e-mail or phone.
    /// </summary>
    public static ExpertResponse ToResponse(ExpertRow row, ExpertChildren children, Caller caller) =>
        AsSeenBy(caller, row.Adapt<ExpertRow, ExpertResponse>(MappingSetup.Configuration) with
        {
            Languages = children.Languages[row.Id].Select(l => new LanguageSkill(l.LanguageCode, l.Level)).ToList(),
            Themes = children.Themes[row.Id].Select(t => new ThemeSkill(t.ThemeCode, t.Level)).ToList(),
            Unavailability = children.Unavailability[row.Id].Select(u => new DatePeriod(u.From, u.To)).ToList(),
        });

    /// <summary>
    /// The same from one statement's row. Its lists hold nothing to redact or rename (the statement names
    /// their fields as the profile does), so they are read straight into the profile's records.
    /// </summary>
    public static ExpertResponse ToResponse(ExpertProfileRow row, Caller caller) =>
        AsSeenBy(caller, row.Adapt<ExpertRow, ExpertResponse>(MappingSetup.Configuration) with
        {
            Languages = JsonSerializer.Deserialize<List<LanguageSkill>>(row.LanguagesJson, ListJson)!,
            Themes = JsonSerializer.Deserialize<List<ThemeSkill>>(row.ThemesJson, ListJson)!,
            Unavailability = JsonSerializer.Deserialize<List<DatePeriod>>(row.UnavailabilityJson, ListJson)!,
        });

    private static ExpertResponse AsSeenBy(Caller caller, ExpertResponse response) =>
        caller.Role == Roles.Reader ? response with { Email = null, Phone = null } : response;
}
