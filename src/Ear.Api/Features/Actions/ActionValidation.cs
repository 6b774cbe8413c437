using System.Text.RegularExpressions;
using Ear.Api.Features.Experts;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Errors;

namespace Ear.Api.Features.Actions;

internal sealed record ActionDraft(
    string Code,
    string Title,
    string? RequestingAuthority,
    string[] BeneficiaryCountries,
    string? RegionalOrganisation,
    string? Region,
    string[] Themes,
    string[] WorkingLanguages,
    DateOnly? RequestedAt,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo);

internal static partial class ActionValidation
{
    public static readonly IReadOnlyList<string> ActivityTypes =
    [
        "fact_finding_mission", "information_session", "workshop", "training", "training_of_trainers", "drafting_session",
        "study_visit", "regional_consultation", "remote_support", "validation_conference",
    ];

    public static ActionDraft? Validate(ActionRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var code = Fields.RequiredText(errors, "code", request.Code, 40)?.ToUpperInvariant();
        if (code is not null && !CodePattern().IsMatch(code))
        {
            errors.Add("code", "Capital letters, digits and hyphens, 3 to 40 characters, e.g. MIEUX-2027-04.");
        }

        var title = Fields.RequiredText(errors, "title", request.Title, 300);
        var authority = Fields.OptionalText(errors, "requestingAuthority", request.RequestingAuthority, 1000);
        var organisation = Fields.OptionalText(errors, "regionalOrganisation", request.RegionalOrganisation, 200);
        var countries = Codes(errors, "beneficiaryCountries", request.BeneficiaryCountries, c => c.ToUpperInvariant(), reference.Countries.ContainsKey, "an ISO 3166-1 alpha-2 country code");
        if (countries.Length == 0 && organisation is null)
        {
            errors.Add("beneficiaryCountries", "At least one beneficiary country, unless a regionalOrganisation is the beneficiary.");
        }

        var themes = Codes(errors, "themes", request.Themes, c => c.ToLowerInvariant(), reference.ThemeCodes.Contains, "a theme code (see GET /api/v1/themes)");
        var languages = Codes(errors, "workingLanguages", request.WorkingLanguages, c => c.ToLowerInvariant(), reference.LanguageCodes.Contains, "an ISO 639-1 language code");

        var region = request.Region?.Trim();
        if (string.IsNullOrEmpty(region))
        {
            region = reference.SharedRegion(countries);
        }
        else if (!reference.RegionCodes.Contains(region))
        {
            errors.Add("region", $"'{region}' is not a region code (see GET /api/v1/regions).");
        }

        DateOnly? from = null, to = null;
        if (request.Period is { } period)
        {
            from = period.From;
            to = period.To;
            if (from is null)
            {
                errors.Add("period.from", "Required when a period is given (YYYY-MM-DD).");
            }
            else if (to < from)
            {
                errors.Add("period.to", "Before period.from.");
            }
        }

        return errors.Any
            ? null
            : new ActionDraft(code!, title!, authority, countries, organisation, region, themes, languages, request.RequestedAt, from, to);
    }

    public static (string Type, string Title, DateOnly From, DateOnly To, string? Country)? ValidateActivity(
        ActivityRequest request, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var type = Fields.OneOf(errors, "type", request.Type, ActivityTypes, required: true);
        var title = Fields.RequiredText(errors, "title", request.Title, 500);
        if (request.From is null)
        {
            errors.Add("from", "Required (YYYY-MM-DD).");
        }

        if (request.To is null)
        {
            errors.Add("to", "Required (YYYY-MM-DD, inclusive).");
        }
        else if (request.To < request.From)
        {
            errors.Add("to", "Before from.");
        }

        var remote = request.Remote ?? type == "remote_support";
        var country = reference.CountryCode(errors, "country", request.Country, required: false);
        if (remote && country is not null)
        {
            errors.Add("country", "A remote activity has no country.");
        }
        else if (!remote && string.IsNullOrWhiteSpace(request.Country))
        {
            errors.Add("country", "Required unless the activity is remote.");
        }

        return errors.Any ? null : (type!, title!, request.From!.Value, request.To!.Value, country);
    }

    private static string[] Codes(ValidationErrors errors, string field, IReadOnlyList<string>? values, Func<string, string> normalise,
        Func<string, bool> known, string what)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > 100)
        {
            errors.Add(field, "At most 100.");
            return [];
        }

        var codes = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var code = values[i] is null ? "" : normalise(values[i].Trim());
            if (known(code))
            {
                codes.Add(code);
            }
            else
            {
                errors.Add($"{field}[{i}]", $"'{values[i]}' is not {what}.");
            }
        }

        return [.. codes];
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,39}$")]
    private static partial Regex CodePattern();
}
