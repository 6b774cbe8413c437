namespace Ear.Api.Features.Actions;

internal sealed record ActionRequest
{
    /// <summary>Unique, e.g. MIEUX-2027-04 (capital letters, digits and hyphens).</summary>
    public string? Code { get; init; }

    public string? Title { get; init; }
    public string? RequestingAuthority { get; init; }

    /// <summary>ISO 3166-1 alpha-2 codes; at least one, unless a regional organisation is the beneficiary.</summary>
    public IReadOnlyList<string>? BeneficiaryCountries { get; init; }

    public string? RegionalOrganisation { get; init; }

    /// <summary>A region code; when absent, the region all beneficiary countries share.</summary>
    public string? Region { get; init; }

    public IReadOnlyList<string>? Themes { get; init; }

    /// <summary>ISO 639-1 codes.</summary>
    public IReadOnlyList<string>? WorkingLanguages { get; init; }

    public DateOnly? RequestedAt { get; init; }
    public ActionPeriod? Period { get; init; }
}

/// <summary>Both ends included; To may stay open while the end is not known.</summary>
internal sealed record ActionPeriod(DateOnly? From, DateOnly? To);

internal sealed record StatusChangeRequest(string? To, string? Note);

internal sealed record StatusChange(string? From, string To, string? Note, Guid? ChangedBy, DateTimeOffset ChangedAt);

internal sealed record ActionResponse
{
    public required Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Title { get; init; }
    public string? RequestingAuthority { get; init; }
    public required IReadOnlyList<string> BeneficiaryCountries { get; init; }
    public string? RegionalOrganisation { get; init; }
    public string? Region { get; init; }
    public required IReadOnlyList<string> Themes { get; init; }
    public required IReadOnlyList<string> WorkingLanguages { get; init; }
    public DateOnly? RequestedAt { get; init; }
    public ActionPeriod? Period { get; init; }
    public required string Status { get; init; }

    /// <summary>The statuses POST .../status may move this action to now.</summary>
    public required IReadOnlyList<string> AllowedTransitions { get; init; }

    public required IReadOnlyList<StatusChange> StatusHistory { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record ActionPage(IReadOnlyList<ActionResponse> Items, string? NextCursor, long Total);

internal sealed record ActivityRequest(string? Type, string? Title, DateOnly? From, DateOnly? To, string? Country, bool? Remote);

internal sealed record ActivityResponse(Guid Id, Guid ActionId, string Type, string Title, DateOnly From, DateOnly To, string? Country, bool Remote);
