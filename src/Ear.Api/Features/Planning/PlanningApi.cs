using System.Text.Json;
using Ear.Api.Auth;
using Ear.Api.Features.Actions;
using Ear.Api.Features.Deployments;
using Ear.Api.Features.Experts;
using Ear.Api.Features.Matching;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Matching;
using Ear.Matching.Planning;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Ear.Api.Features.Planning;

/// <summary>Staffing a whole action at once: a proposal (stored), read back, and accepted in one transaction.</summary>
internal static class PlanningApi
{
    public static void MapPlanning(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/actions/{id:guid}").WithTags("Planning")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/plan", PlanAsync).WithName("PlanAction")
            .WithSummary("Propose a team for every activity of the action that still needs experts, nobody booked twice on a day, with the best total score plus a continuity bonus. The plan is stored.")
            .WithDescription("Admins. Each activity's candidates are the experts who pass the hard rules for its days, scored as matching scores them for the action; " +
                "the plan maximises the staffed activities, then the teams' scores plus the continuity bonus, exactly (CP-SAT) within the time limit. " +
                "optimal is true when that was proved; otherwise bound says how much better a plan could be. 409 when the action has no activity left to staff.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/plans", ListAsync).WithName("ListActionPlans")
            .WithSummary("The plans made for an action, newest first.")
            .WithDescription("Admins and readers: each plan's status, value and whether it was proved optimal.")
            .RequireAuthorization(Policies.AdminOrReader);
        api.MapGet("/plans/{planId:guid}", GetAsync).WithName("GetActionPlan")
            .WithSummary("A stored plan: its teams, value, whether it was proved optimal, and whether it was accepted.")
            .WithDescription("Admins and readers. 404 when the action has no such plan.")
            .RequireAuthorization(Policies.AdminOrReader);
        api.MapPost("/plans/{planId:guid}/accept", AcceptAsync).WithName("AcceptActionPlan")
            .WithSummary("Book every deployment of the plan in one transaction: all or nothing. A clash (already deployed, unavailable, inactive, a team changed since) books nothing and is named (409).")
            .WithDescription("Admins. The action must be approved or in implementation (409 otherwise); a plan is accepted once (409 the second time). " +
                "The answer is the plan with each member's deployment id.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Created<ActionPlan>, ValidationProblem, ProblemHttpResult>> PlanAsync(
        Guid id, PlanRequest? request, Caller caller, ReferenceCatalog catalog, RosterSnapshot roster, Db db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var action = await LoadAsync(db, id, cancellationToken);
        if (action is null)
        {
            return ActionReader.NotFound(id);
        }

        var errors = new ValidationErrors();
        var input = PlanValidation.Validate(request ?? new PlanRequest(), action, errors);
        if (input is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (input.Activities.Count == 0)
        {
            return Problem(StatusCodes.Status409Conflict, "No activity of the action needs experts.",
                action.Activities.Count == 0 ? "The action has no activities yet." : "Every activity's team is full at the default size for its type; list activities to plan them with other sizes.");
        }

        if (action.Action.Themes.Length > 63 || action.Action.WorkingLanguages.Length > 64)
        {
            return Problem(StatusCodes.Status409Conflict, "The action has too many themes or working languages to plan.", "At most 63 themes and 64 working languages.");
        }

        var reference = await catalog.GetAsync(cancellationToken);
        var criteria = PlanValidation.Criteria(action, input, reference);
        var prepared = await roster.ReadAsync(current => Planner.Prepare(current, criteria, reference.Taxonomy), cancellationToken);
        var result = Planner.Solve(prepared, cancellationToken);
        var members = result.Activities.SelectMany(a => a.Members).Select(m => m.ExpertId).ToHashSet();
        var people = await roster.ReadAsync(current => members.ToDictionary(m => m, m => current.TryGet(m, out var expert) ? expert : null), cancellationToken);

        var plan = PlanDocument.From(Guid.CreateVersion7(), action, input, result, people, caller.KeyId, PlanDocument.Now(clock));
        await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            await PlanningWrites.InsertAsync(connection, transaction, plan.Id, id, plan.RequestedBy!.Value, plan.RequestedAt,
                JsonSerializer.Serialize(request ?? new PlanRequest(), JsonSerializerOptions.Web), PlanDocument.Serialize(plan), token);
            return plan.Id;
        }, cancellationToken);
        return TypedResults.Created($"/api/v1/actions/{id}/plans/{plan.Id}", plan);
    }

    private static async Task<Results<Ok<IReadOnlyList<ActionPlanSummary>>, ProblemHttpResult>> ListAsync(Guid id, Db db, CancellationToken cancellationToken)
    {
        var rows = await db.ReadAsync(async (connection, token) =>
            await ActionsQueries.GetAsync(connection, id, token) is null ? null : await PlanningQueries.ListAsync(connection, id, token), cancellationToken);
        return rows is null
            ? ActionReader.NotFound(id)
            : TypedResults.Ok<IReadOnlyList<ActionPlanSummary>>(rows.Select(PlanDocument.Read).Select(PlanDocument.Summary).ToList());
    }

    private static async Task<Results<Ok<ActionPlan>, ProblemHttpResult>> GetAsync(Guid id, Guid planId, Db db, CancellationToken cancellationToken)
    {
        var row = await db.ReadAsync((connection, token) => PlanningQueries.GetAsync(connection, id, planId, token), cancellationToken);
        return row is null ? PlanNotFound(id, planId) : TypedResults.Ok(PlanDocument.Read(row));
    }

    private static async Task<Results<Ok<ActionPlan>, ProblemHttpResult>> AcceptAsync(
        Guid id, Guid planId, Caller caller, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        (Guid Expert, Guid Activity, DateOnly From, DateOnly To)? booking = null;
        (ActionPlan? Accepted, ProblemHttpResult? Refusal) outcome;
        try
        {
            outcome = await db.InTransactionAsync<(ActionPlan?, ProblemHttpResult?)>(async (connection, transaction, token) =>
            {
                var row = await PlanningWrites.LockAsync(connection, transaction, id, planId, token);
                if (row is null)
                {
                    return (null, PlanNotFound(id, planId));
                }

                if (row.Status == "accepted")
                {
                    return (null, Problem(StatusCodes.Status409Conflict, "The plan is accepted already.", $"It was accepted at {row.AcceptedAt:O}; its deployments are booked."));
                }

                var plan = PlanDocument.Read(row);
                if (await PlanAcceptance.RefusalAsync(connection, transaction, plan, token) is { } refusal)
                {
                    return (null, refusal);
                }

                // Every check passed under locks; only a deployment committed meanwhile can still clash, and the exclusion constraint catches it.
                var booked = new Dictionary<(Guid Activity, Guid Expert), Guid>();
                foreach (var activity in plan.Activities)
                {
                    foreach (var member in activity.Members)
                    {
                        booking = (member.ExpertId, activity.ActivityId, activity.From, activity.To);
                        var deployment = Guid.CreateVersion7();
                        await DeploymentsWrites.InsertAsync(connection, transaction, deployment, activity.ActivityId, member.ExpertId, "expert", activity.From, activity.To, caller.KeyId, token);
                        booked[(activity.ActivityId, member.ExpertId)] = deployment;
                    }
                }

                booking = null;
                var accepted = PlanDocument.Accepted(plan, booked, caller.KeyId, PlanDocument.Now(clock));
                await PlanningWrites.MarkAcceptedAsync(connection, transaction, planId, caller.KeyId, accepted.AcceptedAt!.Value, PlanDocument.Serialize(accepted), token);
                return (accepted, null);
            }, cancellationToken);
        }
        catch (PostgresException e) when (e.ConstraintName == DeploymentsWrites.NoOverlapConstraint && booking is { } clash)
        {
            var clashing = await db.ReadAsync((connection, token) => DeploymentsQueries.ClashingAsync(connection, clash.Expert, clash.From, clash.To, token), cancellationToken);
            return PlanAcceptance.Clash("An expert of the plan is already deployed on some of these days; nothing was booked.",
                $"Expert {clash.Expert} on activity {clash.Activity}: " + string.Join("; ", clashing.Select(c => $"deployment {c.Id} ({c.ActionCode}, {c.From:yyyy-MM-dd} to {c.To:yyyy-MM-dd})")),
                clash.Expert, clash.Activity,
                ("clashingDeployments", clashing.Select(DeploymentMapping.ToSummary).ToList()));
        }

        return outcome.Refusal ?? (Results<Ok<ActionPlan>, ProblemHttpResult>)TypedResults.Ok(outcome.Accepted!);
    }

    private static async Task<ActionToPlan?> LoadAsync(Db db, Guid id, CancellationToken cancellationToken) =>
        await db.ReadAsync(async (connection, token) =>
        {
            var action = await ActionsQueries.GetAsync(connection, id, token);
            return action is null ? null : new ActionToPlan(action, await ActionsQueries.GetActivitiesAsync(connection, id, token),
                await PlanningQueries.DeployedOnAsync(connection, null, id, token));
        }, cancellationToken);

    private static ProblemHttpResult PlanNotFound(Guid id, Guid planId) => Problem(StatusCodes.Status404NotFound, "No such plan.", $"There is no plan {planId} for action {id}.");

    internal static ProblemHttpResult Problem(int status, string title, string? detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>The plan document: built from the planner's result, stored as jsonb, read back with the row's status.</summary>
internal static class PlanDocument
{
    public static ActionPlan From(Guid id, ActionToPlan action, PlanInput input, PlanResult result, IReadOnlyDictionary<Guid, Candidate?> people,
        Guid requestedBy, DateTimeOffset requestedAt)
    {
        var planned = input.Activities.ToDictionary(a => a.Activity.Id);
        PlannedExpert Expert(PlannedMember member) => people[member.ExpertId] is { } expert
            ? new PlannedExpert(member.ExpertId, member.Score, ExpertVocabulary.NameOf(expert.Origin), expert.Nationality, expert.Gender, null)
            : new PlannedExpert(member.ExpertId, member.Score, "other", "", "undisclosed", null);

        var activities = result.Activities.Select(outcome =>
        {
            var (activity, team) = planned[outcome.ActivityId];
            return new PlannedActivity(activity.Id, activity.Type, activity.Title, activity.From, activity.To,
                new PlannedTeamSpec(team.Size, team.MinEu, team.MinSouth, team.MaxOther, team.MaxPerCountry, team.MinWomen),
                action.DeployedOn[activity.Id].ToList(), outcome.Needed, outcome.Staffed, outcome.Members.Select(Expert).ToList(),
                outcome.TeamScore, outcome.Unmet, outcome.Eligible, outcome.Kept);
        }).ToList();
        return new ActionPlan(id, action.Action.Id, "proposed", requestedBy, requestedAt, null, null, input.Settings, activities,
            result.Continuity.Select(c => new PlannedContinuity(c.ExpertId, c.ActivityIds, c.AlreadyDeployed, c.Bonus)).ToList(),
            result.Value, result.Bound, result.Optimal,
            new PlanSolver(result.Status, result.Model.Experts, result.Model.Assignments, result.Model.Constraints, result.SolveTime.TotalSeconds));
    }

    public static ActionPlan Accepted(ActionPlan plan, Dictionary<(Guid Activity, Guid Expert), Guid> deployments, Guid acceptedBy, DateTimeOffset acceptedAt) =>
        plan with
        {
            Status = "accepted",
            AcceptedBy = acceptedBy,
            AcceptedAt = acceptedAt,
            Activities = plan.Activities.Select(a => a with
            {
                Members = a.Members.Select(m => m with { DeploymentId = deployments[(a.ActivityId, m.ExpertId)] }).ToList(),
            }).ToList(),
        };

    /// <summary>Now, to the microsecond: what a timestamptz keeps, so that the answer and a later read agree.</summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
    }

    public static string Serialize(ActionPlan plan) => JsonSerializer.Serialize(plan, JsonSerializerOptions.Web);

    /// <summary>The stored document, with the status and acceptance as the row has them.</summary>
    public static ActionPlan Read(PlanRow row) =>
        JsonSerializer.Deserialize<ActionPlan>(row.Response, JsonSerializerOptions.Web)! with
        {
            Status = row.Status,
            AcceptedBy = row.AcceptedBy,
            AcceptedAt = row.AcceptedAt,
        };

    public static ActionPlanSummary Summary(ActionPlan plan) => new(plan.Id, plan.Status, plan.RequestedBy, plan.RequestedAt, plan.AcceptedAt, plan.Value,
        plan.Optimal, plan.Activities.Count(a => a.Needed > 0 && a.Staffed), plan.Activities.Count(a => a.Needed > 0));
}
