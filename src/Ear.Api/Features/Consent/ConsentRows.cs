namespace Ear.Api.Features.Consent;

internal sealed record ConsentRow(
    long Id, string Purpose, string Basis, string? Note, Guid? RecordedBy, DateTimeOffset RecordedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? WithdrawnAt, Guid? WithdrawnBy, string? WithdrawalNote);

internal sealed record CurrentConsentRow(string Purpose, long ConsentId, DateTimeOffset RecordedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? WithdrawnAt, string State);

/// <summary>A change of consent, the one thing <see cref="ConsentWrites.WriteAsync"/> stores.</summary>
internal abstract record ConsentChange(Guid ExpertId, string Purpose, Guid? By, string? Note)
{
    public sealed record Grant(Guid ExpertId, string Purpose, string Basis, Guid? By, string? Note, DateTimeOffset RecordedAt, DateTimeOffset? ExpiresAt)
        : ConsentChange(ExpertId, Purpose, By, Note);

    public sealed record Withdrawal(Guid ExpertId, string Purpose, Guid? By, string? Note) : ConsentChange(ExpertId, Purpose, By, Note);
}
