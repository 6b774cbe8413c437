namespace Ear.Api.Features.Experts;

internal record ExpertRow
{
    public Guid Id { get; init; }
    public string GivenName { get; init; } = "";
    public string FamilyName { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string Gender { get; init; } = "";
    public string Nationality { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? MemberState { get; init; }
    public string? Employer { get; init; }
    public string? Position { get; init; }
    public string? Bio { get; init; }
    public string[] CountriesOfExperience { get; init; } = [];
    public string Status { get; init; } = "";
    public DateTimeOffset? ConsentRecordedAt { get; init; }
    public string? ConsentRecordedBy { get; init; }
    public string? ConsentBasis { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
    public DateTimeOffset ConfirmedAt { get; init; }
    public DateTimeOffset? PendingReconfirmationSince { get; init; }
}

/// <summary>An expert with the lists of its profile as JSON arrays (ExpertsQueries.GetProfileAsync).</summary>
internal sealed record ExpertProfileRow : ExpertRow
{
    /// <summary>[{"code": "fr", "level": "C1"}, ...] in code order.</summary>
    public string LanguagesJson { get; init; } = "[]";

    /// <summary>[{"code": "legal", "level": 3}, ...] in code order.</summary>
    public string ThemesJson { get; init; } = "[]";

    /// <summary>[{"from": "2027-01-04", "to": "2027-01-08"}, ...] (both days included) in date order.</summary>
    public string UnavailabilityJson { get; init; } = "[]";
}

internal sealed record ExpertLanguageRow(Guid ExpertId, string LanguageCode, string Level);

internal sealed record ExpertThemeRow(Guid ExpertId, string ThemeCode, short Level);

internal sealed record UnavailabilityRow(Guid ExpertId, DateOnly From, DateOnly To);
