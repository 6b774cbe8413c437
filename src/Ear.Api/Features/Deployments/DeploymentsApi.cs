using Ear.Api.Auth;
using Ear.Api.Features.Actions;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Deployments;

internal static class DeploymentsApi
{
    public static readonly IReadOnlyList<string> Roles = ["lead_expert", "expert"];
    public static readonly IReadOnlyList<string> Recommendations = ["redeploy", "redeploy_other_area", "do_not_redeploy"];
    public static readonly IReadOnlyList<string> Statuses = ["active", "cancelled"];

    public static void MapDeployments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Deployments");

        api.MapPost("/activities/{id:guid}/deployments", DeployAsync).WithName("DeployExpert")
            .WithSummary("Deploy an expert on an activity. Refused (409) when the expert is booked on any of the days, unavailable, or inactive.")
            .WithDescription("Admins. 409 when the action is not approved or in implementation, the days fall outside the activity's, or the expert is inactive, " +
                "unavailable or already deployed on any of the days (naming the clashing deployment).")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/deployments/{id:guid}", GetAsync).WithName("GetDeployment")
            .WithSummary("One deployment with its action, activity and evaluation.")
            .WithDescription("Admins and readers.")
            .RequireAuthorization(Policies.AdminOrReader)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/deployments/{id:guid}/cancel", CancelAsync).WithName("CancelDeployment")
            .WithSummary("Cancel a deployment: it stays on record, and its days are free again.")
            .WithDescription("Admins. 409 when it is already cancelled. The body (a reason) is optional.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/deployments/{id:guid}/evaluation", EvaluateAsync).WithName("EvaluateDeployment")
            .WithSummary("Record (or correct) the evaluation of a deployment that has ended.")
            .WithDescription("Admins, from the day after the deployment's last day (409 before, and for a cancelled deployment). do_not_redeploy excludes the expert from matching.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/experts/{id:guid}/deployments", ForExpertAsync).WithName("ListExpertDeployments")
            .WithSummary("An expert's deployment history: action, countries, themes, dates, role, evaluation.")
            .WithDescription("Any role; a focal point for its own member state's experts only (404 otherwise).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/actions/{id:guid}/deployments", ForActionAsync).WithName("ListActionDeployments")
            .WithSummary("The team of an action: every deployment on its activities.")
            .WithDescription("Admins and readers; cancelled deployments included.")
            .RequireAuthorization(Policies.AdminOrReader)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Created<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> DeployAsync(
        Guid id, DeploymentRequest request, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var role = ValidateRequest(request, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var expertId = request.ExpertId!.Value;
        var deploymentId = Guid.CreateVersion7();
        ProblemHttpResult? refusal;
        DateOnly from = default, to = default;
        try
        {
            // The checks run under the activity's and the expert's row locks: what they read cannot change before the insert.
            refusal = await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                if (await DeploymentsWrites.LockActivityAsync(connection, transaction, id, token) is not { } activity)
                {
                    return Problem(StatusCodes.Status404NotFound, "No such activity.", $"There is no activity {id}.");
                }

                from = request.From ?? activity.From;
                to = request.To ?? activity.To;
                if (await BookingRefusalAsync(connection, transaction, activity, expertId, from, to, token) is { } refused)
                {
                    return refused;
                }

                await DeploymentsWrites.InsertAsync(connection, transaction, deploymentId, id, expertId, role!, from, to, caller.KeyId, token);
                return null;
            }, cancellationToken);
        }
        catch (PostgresException e) when (e.ConstraintName == DeploymentsWrites.NoOverlapConstraint)
        {
            return await AlreadyDeployedAsync(db, expertId, from, to, cancellationToken);
        }

        if (refusal is not null)
        {
            return refusal;
        }

        var created = await db.ReadAsync((connection, token) => DeploymentsQueries.GetAsync(connection, deploymentId, token), cancellationToken);
        return TypedResults.Created($"/api/v1/deployments/{deploymentId}", DeploymentMapping.ToResponse(created!));
    }

    /// <summary>The role, with every field's error collected.</summary>
    private static string? ValidateRequest(DeploymentRequest request, ValidationErrors errors)
    {
        if (request.ExpertId is null)
        {
            errors.Add("expertId", "Required.");
        }

        var role = Fields.OneOf(errors, "role", request.Role ?? "expert", Roles, required: true);
        if (request.From is { } f && request.To is { } t && t < f)
        {
            errors.Add("to", "Before from.");
        }

        return role;
    }

    /// <summary>Why the expert cannot be booked on these days of the activity; null when only another deployment could stand in the way.</summary>
    private static async Task<ProblemHttpResult?> BookingRefusalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (DateOnly From, DateOnly To, string ActionStatus) activity, Guid expertId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (from < activity.From || to > activity.To)
        {
            return FieldProblem(StatusCodes.Status409Conflict, "from", "The deployment falls outside its activity.",
                $"The activity runs from {activity.From:yyyy-MM-dd} to {activity.To:yyyy-MM-dd}.");
        }

        if (!ActionWorkflow.AcceptsDeployments(activity.ActionStatus))
        {
            return Problem(StatusCodes.Status409Conflict, $"The action is {activity.ActionStatus}.", "Experts are deployed on approved actions and on actions in implementation.");
        }

        var expertStatus = await DeploymentsWrites.LockExpertAsync(connection, transaction, expertId, cancellationToken);
        if (expertStatus is null)
        {
            return FieldProblem(StatusCodes.Status404NotFound, "expertId", "No such expert.", $"There is no expert {expertId}.");
        }

        if (expertStatus != "active")
        {
            return FieldProblem(StatusCodes.Status409Conflict, "expertId", "The expert is inactive.", "Only active experts are deployed.");
        }

        if (await DeploymentsWrites.UnavailabilityWithinAsync(connection, transaction, expertId, from, to, cancellationToken) is var (offFrom, offTo))
        {
            return FieldProblem(StatusCodes.Status409Conflict, "expertId", "The expert is unavailable on some of these days.",
                $"Declared unavailable from {offFrom:yyyy-MM-dd} to {offTo:yyyy-MM-dd}.");
        }

        return null;
    }

    /// <summary>The exclusion constraint caught an overlap: name the deployments it overlaps.</summary>
    private static async Task<ProblemHttpResult> AlreadyDeployedAsync(Db db, Guid expertId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var clashing = await db.ReadAsync((connection, token) => DeploymentsQueries.ClashingAsync(connection, expertId, from, to, token), cancellationToken);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The expert is already deployed on some of these days.",
            detail: string.Join("; ", clashing.Select(c => $"deployment {c.Id} ({c.ActionCode}, {c.From:yyyy-MM-dd} to {c.To:yyyy-MM-dd})")),
            extensions: new Dictionary<string, object?>
            {
                ["clashingDeployments"] = clashing.Select(DeploymentMapping.ToSummary).ToList(),
            });
    }

    private static async Task<Results<Ok<DeploymentResponse>, ProblemHttpResult>> GetAsync(Guid id, Db db, CancellationToken cancellationToken)
    {
        var row = await db.ReadAsync((connection, token) => DeploymentsQueries.GetAsync(connection, id, token), cancellationToken);
        return row is null ? DeploymentNotFound(id) : TypedResults.Ok(DeploymentMapping.ToResponse(row));
    }

    private static async Task<Results<Ok<DeploymentResponse>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        Guid id, CancellationRequest? request, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = Fields.OptionalText(errors, "reason", request?.Reason, 2000);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var cancelled = await db.InTransactionAsync(
            (connection, transaction, token) => DeploymentsWrites.CancelAsync(connection, transaction, id, caller.KeyId, reason, token),
            cancellationToken);
        var row = await db.ReadAsync((connection, token) => DeploymentsQueries.GetAsync(connection, id, token), cancellationToken);
        if (row is null)
        {
            return DeploymentNotFound(id);
        }

        return cancelled
            ? TypedResults.Ok(DeploymentMapping.ToResponse(row))
            : Problem(StatusCodes.Status409Conflict, "The deployment is already cancelled.", $"It was cancelled at {row.CancelledAt:O}.");
    }

    private static async Task<Results<Ok<EvaluationResponse>, ValidationProblem, ProblemHttpResult>> EvaluateAsync(
        Guid id, EvaluationRequest request, Caller caller, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Rating is not (>= 1 and <= 5))
        {
            errors.Add("rating", "A whole number from 1 (poor) to 5 (excellent).");
        }

        var recommendation = Fields.OneOf(errors, "recommendation", request.Recommendation, Recommendations, required: true);
        var comment = Fields.OptionalText(errors, "comment", request.Comment, 5000);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var refusal = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            var row = await DeploymentsQueries.GetAsync(connection, id, token);
            if (row is null)
            {
                return DeploymentNotFound(id);
            }

            if (row.CancelledAt is not null)
            {
                return Problem(StatusCodes.Status409Conflict, "A cancelled deployment is not evaluated.", null);
            }

            if (row.To >= today)
            {
                return Problem(StatusCodes.Status409Conflict, "The deployment has not ended yet.", $"It ends on {row.To:yyyy-MM-dd}; evaluate it from the day after.");
            }

            await DeploymentsWrites.SaveEvaluationAsync(connection, transaction, id, request.Rating!.Value, recommendation!, comment, caller.KeyId, token);
            return null;
        }, cancellationToken);

        if (refusal is not null)
        {
            return refusal;
        }

        var saved = await db.ReadAsync((connection, token) => DeploymentsQueries.GetAsync(connection, id, token), cancellationToken);
        return TypedResults.Ok(DeploymentMapping.ToResponse(saved!).Evaluation!);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeploymentResponse>>, ProblemHttpResult>> ForExpertAsync(
        Guid id, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var rows = await db.ReadAsync(async (connection, token) =>
            await ExpertsQueries.GetAsync(connection, id, caller.MemberState, token) is null ? null : await DeploymentsQueries.ForExpertAsync(connection, id, token),
            cancellationToken);
        return rows is null
            ? Problem(StatusCodes.Status404NotFound, "No such expert.", $"There is no expert {id} that this key may see.")
            : TypedResults.Ok<IReadOnlyList<DeploymentResponse>>(rows.Select(DeploymentMapping.ToResponse).ToList());
    }

    private static async Task<Results<Ok<IReadOnlyList<DeploymentResponse>>, ProblemHttpResult>> ForActionAsync(Guid id, Db db, CancellationToken cancellationToken)
    {
        var rows = await db.ReadAsync(async (connection, token) =>
            await ActionsQueries.GetAsync(connection, id, token) is null ? null : await DeploymentsQueries.ForActionAsync(connection, id, token),
            cancellationToken);
        return rows is null ? ActionReader.NotFound(id) : TypedResults.Ok<IReadOnlyList<DeploymentResponse>>(rows.Select(DeploymentMapping.ToResponse).ToList());
    }

    private static ProblemHttpResult DeploymentNotFound(Guid id) =>
        Problem(StatusCodes.Status404NotFound, "No such deployment.", $"There is no deployment {id}.");

    private static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static ProblemHttpResult FieldProblem(int status, string field, string title, string detail) =>
        TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] }) { Status = status, Title = title });
}
