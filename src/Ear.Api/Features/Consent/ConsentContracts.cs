using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Consent;

/// <summary>The body of POST /experts/{id}/consents: one grant per purpose listed, all on the same basis.</summary>
internal sealed record ConsentGrantRequest
{
    /// <summary>The purposes the expert agreed to, each once.</summary>
    [RequestRequired, OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))]
    public IReadOnlyList<string>? Purposes { get; init; }

    /// <summary>What the agreement rests on.</summary>
    [RequestRequired, OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Bases))]
    public string? Basis { get; init; }

    /// <summary>Free text, at most 500 characters: the reference of the signed form, say. Cleared by erasure.</summary>
    public string? Note { get; init; }

    /// <summary>When the agreement was given (not in the future); default now.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>When the agreement ends by itself, after recordedAt; null: it does not.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The body of POST /experts/{id}/consents/withdrawals.</summary>
internal sealed record ConsentWithdrawalRequest
{
    /// <summary>The purpose whose consent in force is withdrawn.</summary>
    [RequestRequired, OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))]
    public string? Purpose { get; init; }

    /// <summary>Free text, at most 500 characters: how the withdrawal reached MIEUX. Cleared by erasure.</summary>
    public string? Note { get; init; }
}

/// <summary>The consent in force for one purpose.</summary>
/// <param name="Purpose">The purpose.</param>
/// <param name="State">Whether the purpose may be served now.</param>
/// <param name="ConsentId">The grant that decides the state; null when none was ever recorded.</param>
/// <param name="RecordedAt">When that grant was given; null when none.</param>
/// <param name="ExpiresAt">When it ends by itself; null when it does not, or when none.</param>
/// <param name="WithdrawnAt">When it was withdrawn; null when it was not.</param>
internal sealed record PurposeState(
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))] string Purpose,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.States))] string State,
    long? ConsentId,
    DateTimeOffset? RecordedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? WithdrawnAt);

/// <summary>One grant of the history, with its withdrawal when there was one.</summary>
/// <param name="Id">The grant's id.</param>
/// <param name="Purpose">The purpose agreed to.</param>
/// <param name="Basis">What the agreement rests on.</param>
/// <param name="Note">The free text given with it; null when none.</param>
/// <param name="RecordedBy">The API key that recorded it; null for consents carried over from before consent by purpose.</param>
/// <param name="RecordedAt">When the agreement was given.</param>
/// <param name="ExpiresAt">When it ends by itself; null when it does not.</param>
/// <param name="WithdrawnAt">When it was withdrawn; null when it was not.</param>
/// <param name="WithdrawnBy">The API key that recorded the withdrawal; null when none.</param>
/// <param name="WithdrawalNote">The free text given with the withdrawal; null when none.</param>
internal sealed record ConsentEntry(
    long Id,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))] string Purpose,
    [property: OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Bases))] string Basis,
    string? Note,
    Guid? RecordedBy,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? WithdrawnAt,
    Guid? WithdrawnBy,
    string? WithdrawalNote);

/// <summary>An expert's consents: the state of every purpose, and every grant and withdrawal ever recorded.</summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="Purposes">Every purpose, in the order of the vocabulary, with its state now.</param>
/// <param name="History">Every grant, oldest first.</param>
internal sealed record ExpertConsents(Guid ExpertId, IReadOnlyList<PurposeState> Purposes, IReadOnlyList<ConsentEntry> History);
