using System.Text.Json.Serialization;
using Ear.Api.Features.Consent;
using Ear.Api.Platform.OpenApi;
using Ear.Matching;

namespace Ear.Api.Features.Experts;

/// <summary>
/// The body of POST and PUT. Enumerations travel as the strings the API documents, so that a wrong
/// value is answered with a message naming the field and the allowed values.
/// </summary>
internal sealed record ExpertRequest
{
    /// <summary>Given name, at most 100 characters.</summary>
    [RequestRequired] public string? GivenName { get; init; }

    /// <summary>Family name, at most 100 characters.</summary>
    [RequestRequired] public string? FamilyName { get; init; }

    /// <summary>E-mail address, unique in the roster regardless of case.</summary>
    [RequestRequired] public string? Email { get; init; }

    /// <summary>Telephone: digits, spaces and + ( ) . / - only.</summary>
    public string? Phone { get; init; }

    /// <summary>female, male, other or undisclosed.</summary>
    [RequestRequired, OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Genders))]
    public string? Gender { get; init; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    [RequestRequired] public string? Nationality { get; init; }

    /// <summary>What the expert is; its origin (eu, south, other) follows from it.</summary>
    [RequestRequired, OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Kinds))]
    public string? Kind { get; init; }

    /// <summary>The nominating EU member state (ISO 3166-1 alpha-2); required for eu_civil_servant, and a focal point's own.</summary>
    public string? MemberState { get; init; }

    /// <summary>The administration or organisation the expert works for.</summary>
    public string? Employer { get; init; }

    /// <summary>The expert's position there.</summary>
    public string? Position { get; init; }

    /// <summary>A short professional biography; searched by q.</summary>
    public string? Bio { get; init; }

    /// <summary>Working languages, each once.</summary>
    public IReadOnlyList<LanguageSkill>? Languages { get; init; }

    /// <summary>Thematic expertise, each theme once.</summary>
    public IReadOnlyList<ThemeSkill>? Themes { get; init; }

    /// <summary>Countries the expert has worked in or on (ISO 3166-1 alpha-2).</summary>
    public IReadOnlyList<string>? CountriesOfExperience { get; init; }

    /// <summary>Periods (inclusive dates) when the expert cannot be deployed; they may not overlap, nor fall on a deployment.</summary>
    public IReadOnlyList<DatePeriod>? Unavailability { get; init; }

    /// <summary>active (the default) or inactive; an inactive expert is never proposed nor deployed.</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Statuses))]
    public string? Status { get; init; }

    /// <summary>When and by whom the expert's agreement to be on the roster was recorded; without it the expert is never proposed. It is recorded as a roster_membership grant with basis stated_in_profile (GET /experts/{id}/consents).</summary>
    public ConsentRecord? Consent { get; init; }

    /// <summary>On creation only: further purposes the same agreement covers, each recorded as its own grant (later changes go through /experts/{id}/consents). Needs consent.</summary>
    [OneOf(typeof(ConsentVocabulary), nameof(ConsentVocabulary.Purposes))]
    public IReadOnlyList<string>? ConsentPurposes { get; init; }
}

/// <summary>A working language: ISO 639-1 code and CEFR level (A1 to C2) or native.</summary>
/// <param name="Code">ISO 639-1 language code, e.g. fr.</param>
/// <param name="Level">CEFR level A1 to C2, or native.</param>
internal sealed record LanguageSkill(
    [property: RequestRequired] string? Code,
    [property: RequestRequired, OneOf(typeof(LanguageLevels), nameof(LanguageLevels.All))] string? Level);

/// <summary>A theme code of the taxonomy and a level: 1 working knowledge, 2 experienced, 3 expert.</summary>
/// <param name="Code">A theme code (see GET /api/v1/themes), e.g. legal.labour-migration.</param>
/// <param name="Level">1 working knowledge, 2 experienced, 3 expert.</param>
internal sealed record ThemeSkill(
    [property: RequestRequired] string? Code,
    [property: RequestRequired, WireFormat(Minimum = 1, Maximum = 3)] int? Level);

/// <summary>A period of whole days, both ends included.</summary>
/// <param name="From">First day (YYYY-MM-DD).</param>
/// <param name="To">Last day (YYYY-MM-DD), on or after from.</param>
internal sealed record DatePeriod([property: RequestRequired] DateOnly? From, [property: RequestRequired] DateOnly? To);

/// <summary>The record of the expert's agreement to be on the roster.</summary>
/// <param name="RecordedAt">When the agreement was recorded (date and time, not in the future).</param>
/// <param name="RecordedBy">Who recorded it, at most 200 characters.</param>
/// <param name="Basis">What the agreement rests on, e.g. a signed form, at most 500 characters.</param>
internal sealed record ConsentRecord(
    [property: RequestRequired] DateTimeOffset? RecordedAt,
    [property: RequestRequired] string? RecordedBy,
    [property: RequestRequired] string? Basis);

/// <summary>An expert's profile as the caller may see it.</summary>
internal sealed record ExpertResponse
{
    /// <summary>The expert's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Given name.</summary>
    public required string GivenName { get; init; }

    /// <summary>Family name.</summary>
    public required string FamilyName { get; init; }

    /// <summary>E-mail address; absent for readers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    /// <summary>Telephone; absent for readers, and when none is recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phone { get; init; }

    /// <summary>female, male, other or undisclosed.</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Genders))]
    public required string Gender { get; init; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string Nationality { get; init; }

    /// <summary>What the expert is.</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Kinds))]
    public required string Kind { get; init; }

    /// <summary>eu, south or other: how the expert counts in a team's mix (derived from kind).</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Origins))]
    public required string Origin { get; init; }

    /// <summary>The nominating EU member state, null when none.</summary>
    public string? MemberState { get; init; }

    /// <summary>The administration or organisation the expert works for, null when not recorded.</summary>
    public string? Employer { get; init; }

    /// <summary>The expert's position, null when not recorded.</summary>
    public string? Position { get; init; }

    /// <summary>A short professional biography, null when not recorded.</summary>
    public string? Bio { get; init; }

    /// <summary>Working languages.</summary>
    public required IReadOnlyList<LanguageSkill> Languages { get; init; }

    /// <summary>Thematic expertise.</summary>
    public required IReadOnlyList<ThemeSkill> Themes { get; init; }

    /// <summary>Countries of experience (ISO 3166-1 alpha-2).</summary>
    public required IReadOnlyList<string> CountriesOfExperience { get; init; }

    /// <summary>Declared periods of unavailability, in date order.</summary>
    public required IReadOnlyList<DatePeriod> Unavailability { get; init; }

    /// <summary>active or inactive.</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Statuses))]
    public required string Status { get; init; }

    /// <summary>The recorded agreement to be on the roster; null when none is recorded.</summary>
    public ConsentRecord? Consent { get; init; }

    /// <summary>When the profile was last confirmed (created, or re-confirmed by POST /experts/{id}/reconfirm): the retention clock starts here.</summary>
    public required DateTimeOffset ConfirmedAt { get; init; }

    /// <summary>Whether the profile is matched (confirmed) or suspended until re-confirmed (pending_reconfirmation).</summary>
    [OneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.ProfileStates))]
    public required string ProfileState { get; init; }

    /// <summary>When it became pending_reconfirmation; null while confirmed.</summary>
    public DateTimeOffset? PendingReconfirmationSince { get; init; }

    /// <summary>When the expert was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the profile last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One page of search results.</summary>
/// <param name="Items">The experts on this page. Without q, by id. With q, by relevance: first the experts whose names or
/// themes hold every word, then those whose profile (position, employer, bio) does, then those whose CV text does; by id within each.</param>
/// <param name="NextCursor">Pass as cursor, with the same q, to read the next page; null on the last page. A cursor of another q is refused (400 naming cursor).</param>
/// <param name="Total">How many experts match in all when totalIsExact is true; when it is false, more than this many match
/// (counting stops at 1,000, so that a broad search never pays for counting every match: narrow it instead).</param>
/// <param name="TotalIsExact">Whether total is the exact number of matches (true) or a lower bound that is exceeded (false).</param>
/// <param name="Highlights">With q, on the first page: for each expert of the page, where the words matched and an extract of the text
/// around them; empty otherwise.</param>
internal sealed record ExpertPage(
    IReadOnlyList<ExpertResponse> Items, string? NextCursor, long Total, bool TotalIsExact, IReadOnlyList<SearchHighlight> Highlights);

/// <summary>Why an expert matched q, for showing results.</summary>
/// <param name="ExpertId">The expert, one of the page's items.</param>
/// <param name="MatchedIn">names_or_themes, profile or cv: the most prominent fields holding every word of q, which decides the order.</param>
/// <param name="Snippet">Up to two extracts of the position, employer and bio, or else, for an expert matched in the CV text, of the
/// first 20,000 characters of the CV (admins and focal points only),
/// HTML-escaped, with the matching words between &lt;mark&gt; and &lt;/mark&gt;; null when none of that text the caller may read holds a word.</param>
internal sealed record SearchHighlight(
    Guid ExpertId,
    [property: OneOf(typeof(ExpertSearchPage), nameof(ExpertSearchPage.TierNames))] string MatchedIn,
    string? Snippet);

/// <summary>What an erasure did: the expert erased, and the deployments still to come that it cancelled (reason "expert erased").</summary>
/// <param name="Erased">The id of the erased expert.</param>
/// <param name="CancelledDeployments">The ids of the deployments not yet started that the erasure cancelled.</param>
internal sealed record ExpertErasure(Guid Erased, IReadOnlyList<Guid> CancelledDeployments);
