namespace Ear.Api.Features.Matching;

/// <summary>A stored matching run; request and response are the JSON documents as stored.</summary>
internal sealed record RunRow
{
    public Guid Id { get; init; }
    public Guid ActionId { get; init; }
    public Guid? RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string Request { get; init; } = "";
    public string Response { get; init; } = "";
}
