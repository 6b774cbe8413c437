namespace Ear.Api.Features.Actions;

internal sealed record ActionRow
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Title { get; init; } = "";
    public string? RequestingAuthority { get; init; }
    public string[] BeneficiaryCountries { get; init; } = [];
    public string? RegionalOrganisation { get; init; }
    public string? Region { get; init; }
    public string[] Themes { get; init; } = [];
    public string[] WorkingLanguages { get; init; } = [];
    public DateOnly? RequestedAt { get; init; }
    public DateOnly? PeriodFrom { get; init; }
    public DateOnly? PeriodTo { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
}

internal sealed record StatusChangeRow
{
    public Guid ActionId { get; init; }
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public string? Note { get; init; }
    public Guid? ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}

internal sealed record ActivityRow(Guid Id, Guid ActionId, string Type, string Title, DateOnly From, DateOnly To, string? Country, bool Remote);
