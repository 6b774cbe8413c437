namespace Ear.Api.Features.ApiKeys;

/// <summary>role admin, focal_point (needs memberState) or reader.</summary>
internal sealed record ApiKeyRequest(string? Name, string? Role, string? MemberState);

internal sealed record ApiKeyResponse(Guid Id, string Name, string Role, string? MemberState, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The new key and, this once, its secret: EAR keeps only a hash of it.</summary>
internal sealed record IssuedApiKey(ApiKeyResponse Key, string Secret);
