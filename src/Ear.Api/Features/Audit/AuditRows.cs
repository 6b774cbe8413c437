namespace Ear.Api.Features.Audit;

internal sealed record AuditRow
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public Guid? KeyId { get; init; }
    public string? Role { get; init; }
    public string Action { get; init; } = "";
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string? TargetType { get; init; }
    public Guid? TargetId { get; init; }
    public int StatusCode { get; init; }
    public string Outcome { get; init; } = "";
    public string? ClientAddress { get; init; }
    public int Occurrences { get; init; }
    public string? Filter { get; init; }
    public string? Purpose { get; init; }
    public string? KeyPseudonym { get; init; }
}

/// <summary>An entry as the audit middleware records it; the database numbers and dates it.</summary>
internal sealed record NewAuditEntry(Guid? KeyId, string? Role, string Action, string Method, string Path, string? TargetType, Guid? TargetId,
    int StatusCode, string Outcome, string ClientAddress, string? Filter, string? Purpose);
