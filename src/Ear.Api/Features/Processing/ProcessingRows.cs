namespace Ear.Api.Features.Processing;

internal sealed record ConfirmationRow
{
    public DateTimeOffset ConfirmedAt { get; init; }
    public Guid? ConfirmedBy { get; init; }
    public string Basis { get; init; } = "";
    public string? Note { get; init; }
}

internal sealed record RankedInRunRow
{
    public Guid RunId { get; init; }
    public Guid ActionId { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public Guid? RequestedBy { get; init; }
    public int Rank { get; init; }
}

internal sealed record DisclosureRow
{
    public DateTimeOffset At { get; init; }
    public string Action { get; init; } = "";
    public Guid? KeyId { get; init; }
    public string? KeyPseudonym { get; init; }
    public string? Role { get; init; }
    public string? Purpose { get; init; }
    public int StatusCode { get; init; }
}

internal sealed record RetentionEntryRow
{
    public Guid RunId { get; init; }
    public string Kind { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public int? CvVersion { get; init; }
    public string? Purpose { get; init; }
}
