namespace Ear.Api.Features.ReferenceData;

internal sealed record CountryRow(string Code, string NameEn, string NameFr, string NameEs);

internal sealed record MembershipRow(string CountryCode, DateOnly From, DateOnly? Until);

internal sealed record RegionRow(string Code, string LabelEn, string LabelFr, string LabelEs);

internal sealed record RegionCountryRow(string RegionCode, string CountryCode);

internal sealed record LanguageRow(string Code, string NameEn, string NameFr, string NameEs);

internal sealed record ThemeRow(string Code, string? ParentCode, string LabelEn, string LabelFr, string LabelEs);
