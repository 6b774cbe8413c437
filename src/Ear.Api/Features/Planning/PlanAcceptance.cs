using Ear.Api.Features.Actions;
using Ear.Api.Features.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Ear.Api.Features.Planning;

/// <summary>
/// What must still hold when a plan is accepted, checked inside the booking transaction with the rows
/// locked as a single deployment locks them (the activity and action FOR SHARE, each expert FOR SHARE):
/// the action accepts deployments, each activity keeps its days and the team it had when planned, and
/// each expert is still on the roster, active and available. The first failure refuses the whole plan.
/// </summary>
internal static class PlanAcceptance
{
    public static async Task<ProblemHttpResult?> RefusalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ActionPlan plan, CancellationToken cancellationToken)
    {
        var booking = plan.Activities.Where(a => a.Members.Count > 0).ToList();
        if (booking.Count == 0)
        {
            return PlanningApi.Problem(StatusCodes.Status409Conflict, "The plan books nobody.", "No activity of the plan is staffed; plan again.");
        }

        var deployedOn = await PlanningQueries.DeployedOnAsync(connection, transaction, plan.ActionId, cancellationToken);
        foreach (var activity in booking)
        {
            if (await DeploymentsWrites.LockActivityAsync(connection, transaction, activity.ActivityId, cancellationToken) is not var (from, to, actionStatus))
            {
                return Clash("An activity of the plan is gone; nothing was booked.", $"There is no activity {activity.ActivityId} any more.", null, activity.ActivityId);
            }

            if (!ActionWorkflow.AcceptsDeployments(actionStatus))
            {
                return PlanningApi.Problem(StatusCodes.Status409Conflict, $"The action is {actionStatus}; nothing was booked.",
                    "Experts are deployed on approved actions and on actions in implementation.");
            }

            if (from != activity.From || to != activity.To)
            {
                return Clash("An activity's days changed since the plan was made; nothing was booked.",
                    $"Activity {activity.ActivityId} now runs from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; plan again.", null, activity.ActivityId);
            }

            var now = deployedOn[activity.ActivityId].Order().ToList();
            if (!now.SequenceEqual(activity.AlreadyDeployed.Order()))
            {
                return Clash("An activity's team changed since the plan was made; nothing was booked.",
                    $"Activity {activity.ActivityId} had {activity.AlreadyDeployed.Count} expert(s) deployed when planned and has {now.Count} now; plan again.", null, activity.ActivityId);
            }

            foreach (var member in activity.Members)
            {
                var status = await DeploymentsWrites.LockExpertAsync(connection, transaction, member.ExpertId, cancellationToken);
                if (status is null)
                {
                    return Clash("An expert of the plan is no longer on the roster; nothing was booked.", $"Expert {member.ExpertId} was erased.", member.ExpertId, activity.ActivityId);
                }

                if (status != "active")
                {
                    return Clash("An expert of the plan is inactive; nothing was booked.", $"Expert {member.ExpertId} is {status}; only active experts are deployed.",
                        member.ExpertId, activity.ActivityId);
                }

                if (await DeploymentsWrites.UnavailabilityWithinAsync(connection, transaction, member.ExpertId, from, to, cancellationToken) is var (offFrom, offTo))
                {
                    return Clash("An expert of the plan is unavailable on some of its days; nothing was booked.",
                        $"Expert {member.ExpertId} on activity {activity.ActivityId}: declared unavailable from {offFrom:yyyy-MM-dd} to {offTo:yyyy-MM-dd}.",
                        member.ExpertId, activity.ActivityId);
                }
            }
        }

        return null;
    }

    /// <summary>A 409 naming the expert and activity at fault (either may be unknown), and anything else that explains it.</summary>
    public static ProblemHttpResult Clash(string title, string detail, Guid? expertId, Guid activityId, params (string Name, object Value)[] more)
    {
        var extensions = new Dictionary<string, object?> { ["activityId"] = activityId };
        if (expertId is { } expert)
        {
            extensions["expertId"] = expert;
        }

        foreach (var (name, value) in more)
        {
            extensions[name] = value;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);
    }
}
