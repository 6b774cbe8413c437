using System.Net.Mail;
using System.Text.RegularExpressions;
using Ear.Api.Features.Consent;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Errors;
using Ear.Matching;

namespace Ear.Api.Features.Experts;

/// <summary>A profile that passed validation: trimmed, codes normalised, lists sorted.</summary>
internal sealed record ExpertDraft(
    string GivenName,
    string FamilyName,
    string Email,
    string? Phone,
    string Gender,
    string Nationality,
    string Kind,
    string? MemberState,
    string? Employer,
    string? Position,
    string? Bio,
    IReadOnlyList<(string Code, string Level, short Rank)> Languages,
    IReadOnlyList<(string Code, short Level)> Themes,
    string[] CountriesOfExperience,
    IReadOnlyList<(DateOnly From, DateOnly To)> Unavailability,
    string Status,
    ConsentRecord? Consent,
    IReadOnlyList<string>? ConsentPurposes = null);

internal static partial class ExpertValidation
{
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 254;
    public const int MaxPhoneLength = 40;
    public const int MaxOrganisationLength = 200;
    public const int MaxBioLength = 5000;
    public const int MaxListLength = 50;

    private static readonly DateOnly EarliestDate = new(1950, 1, 1);
    private static readonly DateOnly LatestDate = new(2100, 12, 31);

    /// <summary>Checks every field, so that one answer lists all that is wrong; a draft only when nothing is.</summary>
    public static ExpertDraft? Validate(ExpertRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var givenName = Fields.RequiredText(errors, "givenName", request.GivenName, MaxNameLength);
        var familyName = Fields.RequiredText(errors, "familyName", request.FamilyName, MaxNameLength);
        var email = ValidateEmail(errors, request.Email);
        var phone = Fields.OptionalText(errors, "phone", request.Phone, MaxPhoneLength);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add("phone", "Digits, spaces and + ( ) . / - only, e.g. +32 2 123 45 67.");
        }

        var gender = Fields.OneOf(errors, "gender", request.Gender, ExpertVocabulary.Genders, required: true);
        var nationality = reference.CountryCode(errors, "nationality", request.Nationality, required: true);
        var kind = Fields.OneOf(errors, "kind", request.Kind, ExpertVocabulary.Kinds.Keys, required: true);
        var memberState = reference.CountryCode(errors, "memberState", request.MemberState, required: false);
        if (memberState is not null && !reference.WasEverEuMember(memberState))
        {
            errors.Add("memberState", $"{memberState} is not, and never was, an EU member state.");
        }

        if (kind == "eu_civil_servant" && string.IsNullOrWhiteSpace(request.MemberState))
        {
            errors.Add("memberState", "Required for an eu_civil_servant: the member state whose administration nominates the expert.");
        }

        var employer = Fields.OptionalText(errors, "employer", request.Employer, MaxOrganisationLength);
        var position = Fields.OptionalText(errors, "position", request.Position, MaxOrganisationLength);
        var bio = Fields.OptionalText(errors, "bio", request.Bio, MaxBioLength);
        var languages = ValidateLanguages(errors, request.Languages, reference);
        var themes = ValidateThemes(errors, request.Themes, reference);
        var countries = ValidateCountries(errors, request.CountriesOfExperience, reference);
        var unavailability = ValidatePeriods(errors, "unavailability", request.Unavailability);
        var status = request.Status is null ? "active" : Fields.OneOf(errors, "status", request.Status, ExpertVocabulary.Statuses, required: true);
        var consent = ValidateConsent(errors, request.Consent);
        var purposes = ValidateConsentPurposes(errors, request.ConsentPurposes, consent);

        if (errors.Any)
        {
            return null;
        }

        return new ExpertDraft(givenName!, familyName!, email!, phone, gender!, nationality!, kind!, memberState, employer, position, bio,
            languages, themes, countries, unavailability, status!, consent, purposes);
    }

    /// <summary>The purposes the profile's consent covers besides roster membership, each once; they need a consent.</summary>
    private static List<string> ValidateConsentPurposes(ValidationErrors errors, IReadOnlyList<string>? purposes, ConsentRecord? consent)
    {
        if (purposes is not { Count: > 0 })
        {
            return [];
        }

        if (consent is null)
        {
            errors.Add("consentPurposes", "Needs consent: the purposes are granted on the basis of the profile's consent.");
        }

        var valid = new List<string>();
        for (var i = 0; i < purposes.Count; i++)
        {
            if (Fields.OneOf(errors, $"consentPurposes[{i}]", purposes[i], ConsentVocabulary.Purposes.Keys, required: true) is { } purpose
                && !valid.Contains(purpose))
            {
                valid.Add(purpose);
            }
        }

        return valid;
    }

    public static IReadOnlyList<(DateOnly From, DateOnly To)> ValidatePeriods(ValidationErrors errors, string field, IReadOnlyList<DatePeriod>? periods)
    {
        if (periods is null)
        {
            return [];
        }

        if (periods.Count > 200)
        {
            errors.Add(field, "At most 200 periods.");
            return [];
        }

        var valid = new List<(DateOnly From, DateOnly To, int Index)>();
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (period?.From is not { } from || period.To is not { } to)
            {
                errors.Add($"{field}[{i}]", "Both from and to are required (YYYY-MM-DD, inclusive).");
                continue;
            }

            if (to < from)
            {
                errors.Add($"{field}[{i}]", $"Reversed: to ({to:yyyy-MM-dd}) is before from ({from:yyyy-MM-dd}).");
            }
            else if (from < EarliestDate || to > LatestDate)
            {
                errors.Add($"{field}[{i}]", $"Dates must lie between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}.");
            }
            else
            {
                valid.Add((from, to, i));
            }
        }

        var ordered = valid.OrderBy(p => p.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].From <= ordered[i - 1].To)
            {
                errors.Add($"{field}[{ordered[i].Index}]", $"Overlaps {field}[{ordered[i - 1].Index}].");
            }
        }

        return ordered.Select(p => (p.From, p.To)).ToList();
    }

    private static string? ValidateEmail(ValidationErrors errors, string? value)
    {
        var email = Fields.RequiredText(errors, "email", value, MaxEmailLength);
        if (email is null)
        {
            return null;
        }

        if (!MailAddress.TryCreate(email, out var address) || address.Address != email || !email.Contains('.', StringComparison.Ordinal))
        {
            errors.Add("email", "Not an e-mail address.");
        }

        return email;
    }

    private static List<(string Code, string Level, short Rank)> ValidateLanguages(
        ValidationErrors errors, IReadOnlyList<LanguageSkill>? languages, ReferenceSnapshot reference)
    {
        var result = new List<(string Code, string Level, short Rank)>();
        if (languages is null)
        {
            return result;
        }

        if (languages.Count > MaxListLength)
        {
            errors.Add("languages", $"At most {MaxListLength} languages.");
            return result;
        }

        for (var i = 0; i < languages.Count; i++)
        {
            var code = languages[i]?.Code?.Trim().ToLowerInvariant();
            var level = languages[i]?.Level?.Trim();
            if (code is null || !reference.LanguageCodes.Contains(code))
            {
                errors.Add($"languages[{i}].code", $"'{Fields.Shorten(languages[i]?.Code)}' is not an ISO 639-1 language code.");
            }
            else if (result.Any(l => l.Code == code))
            {
                errors.Add($"languages[{i}].code", $"{code} is listed twice.");
            }

            if (!LanguageLevels.TryRank(level, out var rank))
            {
                errors.Add($"languages[{i}].level", $"'{Fields.Shorten(languages[i]?.Level)}' is not a level. One of: {LanguageLevels.Describe()}.");
            }

            if (code is not null && level is not null && rank > 0)
            {
                result.Add((code, level, (short)rank));
            }
        }

        return result.OrderBy(l => l.Code, StringComparer.Ordinal).ToList();
    }

    private static List<(string Code, short Level)> ValidateThemes(ValidationErrors errors, IReadOnlyList<ThemeSkill>? themes, ReferenceSnapshot reference)
    {
        var result = new List<(string Code, short Level)>();
        if (themes is null)
        {
            return result;
        }

        if (themes.Count > MaxListLength)
        {
            errors.Add("themes", $"At most {MaxListLength} themes.");
            return result;
        }

        for (var i = 0; i < themes.Count; i++)
        {
            var code = themes[i]?.Code?.Trim().ToLowerInvariant();
            if (code is null || !reference.ThemeCodes.Contains(code))
            {
                errors.Add($"themes[{i}].code", $"'{Fields.Shorten(themes[i]?.Code)}' is not a theme code (see GET /api/v1/themes).");
            }
            else if (result.Any(t => t.Code == code))
            {
                errors.Add($"themes[{i}].code", $"{code} is listed twice.");
            }

            if (themes[i]?.Level is not (>= 1 and <= 3))
            {
                errors.Add($"themes[{i}].level", "1 (working knowledge), 2 (experienced) or 3 (expert).");
            }
            else if (code is not null)
            {
                result.Add((code, (short)themes[i]!.Level!.Value));
            }
        }

        return result.OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
    }

    private static string[] ValidateCountries(ValidationErrors errors, IReadOnlyList<string>? countries, ReferenceSnapshot reference)
    {
        if (countries is null)
        {
            return [];
        }

        if (countries.Count > 250)
        {
            errors.Add("countriesOfExperience", "At most 250 countries.");
            return [];
        }

        var result = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < countries.Count; i++)
        {
            if (reference.CountryCode(errors, $"countriesOfExperience[{i}]", countries[i], required: true) is { } code)
            {
                result.Add(code);
            }
        }

        return [.. result];
    }

    private static ConsentRecord? ValidateConsent(ValidationErrors errors, ConsentRecord? consent)
    {
        if (consent is null)
        {
            return null;
        }

        if (consent.RecordedAt is null)
        {
            errors.Add("consent.recordedAt", "Required: when the agreement was recorded (ISO 8601 date and time).");
        }
        else if (consent.RecordedAt > DateTimeOffset.UtcNow.AddDays(1))
        {
            errors.Add("consent.recordedAt", "Cannot lie in the future.");
        }

        var recordedBy = Fields.RequiredText(errors, "consent.recordedBy", consent.RecordedBy, 200);
        var basis = Fields.RequiredText(errors, "consent.basis", consent.Basis, 500);
        return consent with { RecordedBy = recordedBy, Basis = basis, RecordedAt = consent.RecordedAt?.ToUniversalTime() };
    }

    [GeneratedRegex(@"^\+?[0-9 ()./-]{3,40}$")]
    private static partial Regex PhonePattern();
}
