namespace Ear.Api.Features.ReferenceData;

/// <summary>A label in the three languages MIEUX works in most.</summary>
internal sealed record LocalizedText(string En, string Fr, string Es);

internal sealed record ThemeNode(string Code, LocalizedText Label, IReadOnlyList<ThemeNode> Children);

internal sealed record CountryResponse(
    string Code,
    LocalizedText Name,
    bool EuMemberToday,
    IReadOnlyList<MembershipPeriod> EuMemberships,
    IReadOnlyList<string> Regions);

/// <summary>Membership from <c>From</c> (inclusive) until <c>Until</c> (exclusive; null while a member).</summary>
internal sealed record MembershipPeriod(DateOnly From, DateOnly? Until);

internal sealed record RegionResponse(string Code, LocalizedText Label, IReadOnlyList<string> Countries);

internal sealed record LanguageResponse(string Code, LocalizedText Name);
