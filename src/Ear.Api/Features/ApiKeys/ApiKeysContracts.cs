using Ear.Api.Auth;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.ApiKeys;

/// <summary>A key to issue.</summary>
/// <param name="Name">Who or what will use the key, e.g. "Focal point of Belgium".</param>
/// <param name="Role">admin, focal_point (needs memberState) or reader.</param>
/// <param name="MemberState">For a focal point only: the EU member state (ISO 3166-1 alpha-2) whose experts it maintains.</param>
internal sealed record ApiKeyRequest(
    [property: RequestRequired] string? Name,
    [property: RequestRequired, OneOf(typeof(Roles), nameof(Roles.All))] string? Role,
    string? MemberState);

/// <summary>An API key, without its secret.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="Name">Who or what uses it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="MemberState">A focal point's member state; null for other roles.</param>
/// <param name="Prefix">The first characters of the secret, to recognise the key by.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
internal sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    [property: OneOf(typeof(Roles), nameof(Roles.All))] string Role,
    string? MemberState,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

/// <summary>The new key and, this once, its secret: EAR keeps only a hash of it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Secret">The value to send in X-Api-Key; it cannot be read again.</param>
internal sealed record IssuedApiKey(ApiKeyResponse Key, string Secret);
