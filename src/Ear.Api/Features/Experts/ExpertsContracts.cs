using System.Text.Json.Serialization;

namespace Ear.Api.Features.Experts;

/// <summary>
/// The body of POST and PUT. Enumerations travel as the strings the API documents, so that a wrong
/// value is answered with a message naming the field and the allowed values.
/// </summary>
internal sealed record ExpertRequest
{
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>female, male, other or undisclosed.</summary>
    public string? Gender { get; init; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Nationality { get; init; }

    /// <summary>eu_civil_servant, south_civil_servant, academic, ngo, private_consultant, eu_agency or international_organisation.</summary>
    public string? Kind { get; init; }

    /// <summary>The nominating EU member state (ISO 3166-1 alpha-2); required for eu_civil_servant.</summary>
    public string? MemberState { get; init; }

    public string? Employer { get; init; }
    public string? Position { get; init; }
    public string? Bio { get; init; }
    public IReadOnlyList<LanguageSkill>? Languages { get; init; }
    public IReadOnlyList<ThemeSkill>? Themes { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes.</summary>
    public IReadOnlyList<string>? CountriesOfExperience { get; init; }

    /// <summary>Periods (inclusive dates) when the expert cannot be deployed; they may not overlap.</summary>
    public IReadOnlyList<DatePeriod>? Unavailability { get; init; }

    /// <summary>active (the default) or inactive.</summary>
    public string? Status { get; init; }

    /// <summary>When and by whom the expert's agreement to be on the roster was recorded; without it the expert is never proposed.</summary>
    public ConsentRecord? Consent { get; init; }
}

/// <summary>A working language: ISO 639-1 code and CEFR level (A1 to C2) or native.</summary>
internal sealed record LanguageSkill(string? Code, string? Level);

/// <summary>A theme code of the taxonomy and a level: 1 working knowledge, 2 experienced, 3 expert.</summary>
internal sealed record ThemeSkill(string? Code, int? Level);

/// <summary>A period of whole days, both ends included.</summary>
internal sealed record DatePeriod(DateOnly? From, DateOnly? To);

internal sealed record ConsentRecord(DateTimeOffset? RecordedAt, string? RecordedBy, string? Basis);

internal sealed record ExpertResponse
{
    public required Guid Id { get; init; }
    public required string GivenName { get; init; }
    public required string FamilyName { get; init; }

    /// <summary>Absent for readers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    /// <summary>Absent for readers, and when none is recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phone { get; init; }

    public required string Gender { get; init; }
    public required string Nationality { get; init; }
    public required string Kind { get; init; }

    /// <summary>eu, south or other: how the expert counts in a team's mix (derived from kind).</summary>
    public required string Origin { get; init; }

    public string? MemberState { get; init; }
    public string? Employer { get; init; }
    public string? Position { get; init; }
    public string? Bio { get; init; }
    public required IReadOnlyList<LanguageSkill> Languages { get; init; }
    public required IReadOnlyList<ThemeSkill> Themes { get; init; }
    public required IReadOnlyList<string> CountriesOfExperience { get; init; }
    public required IReadOnlyList<DatePeriod> Unavailability { get; init; }
    public required string Status { get; init; }
    public ConsentRecord? Consent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record ExpertPage(IReadOnlyList<ExpertResponse> Items, string? NextCursor, long Total);

/// <summary>What an erasure did: the expert erased, and the deployments still to come that it cancelled (reason "expert erased").</summary>
internal sealed record ExpertErasure(Guid Erased, IReadOnlyList<Guid> CancelledDeployments);
