using Ear.Api.Platform.Mapping;
using Mapster;

namespace Ear.Api.Features.Actions;

/// <summary>What of an action's wire records does not copy name for name from its rows.</summary>
internal sealed class ActionMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<ActionRow, ActionResponse>()
            .Map(response => response.Period, row => row.PeriodFrom == null ? null : new ActionPeriod(row.PeriodFrom, row.PeriodTo))
            .Map(response => response.AllowedTransitions, row => ActionWorkflow.AllowedFrom(row.Status))
            .Ignore(response => response.StatusHistory);
        config.NewConfig<StatusChangeRow, StatusChange>()
            .Map(change => change.From, row => row.FromStatus)
            .Map(change => change.To, row => row.ToStatus);
        config.NewConfig<ActivityRow, ActivityResponse>();
    }

    /// <summary>The action with its status history, which lives in rows of its own.</summary>
    public static ActionResponse ToResponse(ActionRow row, ILookup<Guid, StatusChangeRow> history) => ToResponse(row, history[row.Id]);

    public static ActionResponse ToResponse(ActionRow row, IEnumerable<StatusChangeRow> history) =>
        row.Adapt<ActionResponse>(MappingSetup.Configuration) with
        {
            StatusHistory = history.Select(h => h.Adapt<StatusChange>(MappingSetup.Configuration)).ToList(),
        };

    public static ActivityResponse ToResponse(ActivityRow row) => row.Adapt<ActivityResponse>(MappingSetup.Configuration);
}
