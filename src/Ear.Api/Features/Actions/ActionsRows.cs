using System.Text.Json;

namespace Ear.Api.Features.Actions;

internal record ActionRow
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Title { get; init; } = "";
    public string? RequestingAuthority { get; init; }
    public string[] BeneficiaryCountries { get; init; } = [];
    public string? RegionalOrganisation { get; init; }
    public string? Region { get; init; }
    public string[] Themes { get; init; } = [];
    public string[] WorkingLanguages { get; init; } = [];
    public DateOnly? RequestedAt { get; init; }
    public DateOnly? PeriodFrom { get; init; }
    public DateOnly? PeriodTo { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
}

/// <summary>An action with its status history as a JSON array of <see cref="StatusChangeRow"/> (ActionsQueries.GetWithHistoryAsync).</summary>
internal sealed record ActionWithHistoryRow : ActionRow
{
    private static readonly JsonSerializerOptions HistoryJson = new(JsonSerializerDefaults.Web);

    public string StatusHistoryJson { get; init; } = "[]";

    public IReadOnlyList<StatusChangeRow> History()
    {
        var history = JsonSerializer.Deserialize<List<StatusChangeRow>>(StatusHistoryJson, HistoryJson)!;
        // PostgreSQL writes a time in JSON in the session's time zone; the columns read as UTC elsewhere.
        return history.ConvertAll(h => h with { ActionId = Id, ChangedAt = h.ChangedAt.ToUniversalTime() });
    }
}

internal sealed record StatusChangeRow
{
    public Guid ActionId { get; init; }
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public string? Note { get; init; }
    public Guid? ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}

internal sealed record ActivityRow(Guid Id, Guid ActionId, string Type, string Title, DateOnly From, DateOnly To, string? Country, bool Remote);
