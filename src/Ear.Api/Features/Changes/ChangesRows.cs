namespace Ear.Api.Features.Changes;

internal sealed record ChangeRow
{
    public long Position { get; init; }
    public long Seq { get; init; }
    public Guid Id { get; init; }
    public string Type { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public Guid ResourceId { get; init; }
    public string? MemberState { get; init; }
    public Guid? KeyId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset CommittedAt { get; init; }

    /// <summary>The event's data as the trigger wrote it (jsonb text).</summary>
    public string Data { get; init; } = "{}";

    public ChangeCursor Cursor => new(Position, Seq);
}
