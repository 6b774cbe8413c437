namespace Ear.Api.Features.ApiKeys;

internal sealed record ApiKeyRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string? MemberState { get; init; }
    public string KeyPrefix { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}
