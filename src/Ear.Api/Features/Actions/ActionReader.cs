using Ear.Api.Platform.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.Actions;

/// <summary>
/// An action as the API shows it, for every feature that starts from one (actions, matching, deployments):
/// they meet here rather than in <see cref="ActionsApi"/>, whose handlers are its own.
/// </summary>
internal static class ActionReader
{
    public static async Task<(ActionResponse Action, int Version)?> LoadAsync(Db db, Guid id, CancellationToken cancellationToken) =>
        await db.ReadAsync((connection, token) => ActionsQueries.GetWithHistoryAsync(connection, id, token), cancellationToken)
            is { } row ? (ActionMapping.ToResponse(row, row.History()), row.Version) : null;

    public static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "No such action.", detail: $"There is no action {id}.");
}
