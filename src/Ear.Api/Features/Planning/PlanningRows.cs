namespace Ear.Api.Features.Planning;

/// <summary>A stored plan as the table holds it; response is the plan document (ActionPlan).</summary>
internal sealed record PlanRow
{
    public Guid Id { get; init; }
    public Guid ActionId { get; init; }
    public Guid? RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string Status { get; init; } = "";
    public Guid? AcceptedBy { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public string Response { get; init; } = "";
}
