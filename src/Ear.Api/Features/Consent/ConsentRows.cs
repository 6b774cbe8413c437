namespace Ear.Api.Features.Consent;

internal sealed record ConsentRow
{
    public long Id { get; init; }
    public string Purpose { get; init; } = "";
    public string Basis { get; init; } = "";
    public string? Note { get; init; }
    public Guid? RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }
    public Guid? WithdrawnBy { get; init; }
    public string? WithdrawalNote { get; init; }
}

internal sealed record CurrentConsentRow
{
    public string Purpose { get; init; } = "";
    public long ConsentId { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }
    public string State { get; init; } = "";
}

/// <summary>A change of consent, the one thing <see cref="ConsentWrites.WriteAsync"/> stores.</summary>
internal abstract record ConsentChange(Guid ExpertId, string Purpose, Guid? By, string? Note)
{
    public sealed record Grant(Guid ExpertId, string Purpose, string Basis, Guid? By, string? Note, DateTimeOffset RecordedAt, DateTimeOffset? ExpiresAt)
        : ConsentChange(ExpertId, Purpose, By, Note);

    public sealed record Withdrawal(Guid ExpertId, string Purpose, Guid? By, string? Note) : ConsentChange(ExpertId, Purpose, By, Note);

    /// <summary>A grant whose expiresAt passed, noticed by the retention job: nothing is written on the grant (its state
    /// already says expired), but what the purpose's end changes is applied, as for a withdrawal.</summary>
    public sealed record Expiry(Guid ExpertId, string Purpose, long ConsentId) : ConsentChange(ExpertId, Purpose, null, null);
}
