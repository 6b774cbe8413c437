namespace Ear.Api.Features.Consent;

/// <summary>Consent rows become wire records; the purposes' states follow the vocabulary's order.</summary>
internal static class ConsentMapping
{
    public static ExpertConsents ToResponse(Guid expertId, IReadOnlyList<CurrentConsentRow> current, IReadOnlyList<ConsentRow> history) =>
        new(expertId, ConsentQueries.States(current), history.Select(ToEntry).ToList());

    private static ConsentEntry ToEntry(ConsentRow row) =>
        new(row.Id, row.Purpose, row.Basis, row.Note, row.RecordedBy, row.RecordedAt, row.ExpiresAt, row.WithdrawnAt, row.WithdrawnBy, row.WithdrawalNote);
}
