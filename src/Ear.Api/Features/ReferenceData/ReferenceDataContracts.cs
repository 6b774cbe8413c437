namespace Ear.Api.Features.ReferenceData;

/// <summary>A label in the three languages MIEUX works in most.</summary>
/// <param name="En">In English.</param>
/// <param name="Fr">In French.</param>
/// <param name="Es">In Spanish.</param>
internal sealed record LocalizedText(string En, string Fr, string Es);

/// <summary>A theme of the taxonomy and its sub-themes.</summary>
/// <param name="Code">The theme's code: an area (legal) or a dotted sub-theme (legal.labour-migration).</param>
/// <param name="Label">Its name.</param>
/// <param name="Children">Its sub-themes; empty for a leaf.</param>
internal sealed record ThemeNode(string Code, LocalizedText Label, IReadOnlyList<ThemeNode> Children);

/// <summary>A country.</summary>
/// <param name="Code">ISO 3166-1 alpha-2.</param>
/// <param name="Name">Its name.</param>
/// <param name="EuMemberToday">Whether it is an EU member state today.</param>
/// <param name="EuMemberships">Its periods of EU membership; empty when never a member.</param>
/// <param name="Regions">The MIEUX regions it belongs to.</param>
internal sealed record CountryResponse(
    string Code,
    LocalizedText Name,
    bool EuMemberToday,
    IReadOnlyList<MembershipPeriod> EuMemberships,
    IReadOnlyList<string> Regions);

/// <summary>Membership from <c>From</c> (inclusive) until <c>Until</c> (exclusive; null while a member).</summary>
/// <param name="From">The first day of membership.</param>
/// <param name="Until">The day membership ended (exclusive); null while a member.</param>
internal sealed record MembershipPeriod(DateOnly From, DateOnly? Until);

/// <summary>A MIEUX region.</summary>
/// <param name="Code">The region's code, e.g. neighbourhood.south.</param>
/// <param name="Label">Its name.</param>
/// <param name="Countries">Its countries (ISO 3166-1 alpha-2).</param>
internal sealed record RegionResponse(string Code, LocalizedText Label, IReadOnlyList<string> Countries);

/// <summary>A language.</summary>
/// <param name="Code">ISO 639-1.</param>
/// <param name="Name">Its name.</param>
internal sealed record LanguageResponse(string Code, LocalizedText Name);
