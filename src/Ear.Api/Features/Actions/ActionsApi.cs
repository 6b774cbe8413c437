using System.Globalization;
using Ear.Api.Auth;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ear.Api.Features.Actions;

/// <summary>The query string of GET /api/v1/actions.</summary>
internal sealed record ActionListParameters
{
    /// <summary>One of the workflow statuses.</summary>
    [FromQuery(Name = "status"), OneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))] public string? Status { get; init; }

    /// <summary>A region code (see GET /api/v1/regions).</summary>
    [FromQuery(Name = "region")] public string? Region { get; init; }

    /// <summary>A beneficiary country (ISO 3166-1 alpha-2).</summary>
    [FromQuery(Name = "country")] public string? Country { get; init; }

    /// <summary>A theme code; its sub-themes match too.</summary>
    [FromQuery(Name = "theme")] public string? Theme { get; init; }

    /// <summary>YYYY-MM-DD: actions whose period overlaps from..to (either end may be left open).</summary>
    [FromQuery(Name = "from"), WireFormat(Format = "date")] public string? From { get; init; }

    /// <summary>YYYY-MM-DD, the end of the period of interest (inclusive).</summary>
    [FromQuery(Name = "to"), WireFormat(Format = "date")] public string? To { get; init; }

    /// <summary>The nextCursor of the previous page.</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// <summary>Actions a page, 1 to 200 (default 50).</summary>
    [FromQuery(Name = "limit"), WireFormat(Type = "integer", Minimum = 1, Maximum = 200)] public string? Limit { get; init; }
}

internal static class ActionsApi
{
    public static void MapActions(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/api/v1/actions").WithTags("Actions");

        actions.MapGet("/", ListAsync).WithName("ListActions")
            .WithSummary("Actions, filtered by status, region, beneficiary country, theme and period; keyset pagination.")
            .WithDescription("Any role. Filters combine with AND; from/to select actions whose period overlaps them.");
        actions.MapPost("/", CreateAsync).WithName("CreateAction")
            .WithSummary("Record a request for an action; it starts as requested.")
            .WithDescription("Admins. 409 when the code is taken. The answer carries the action's ETag.")
            .ProducesETag()
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
        actions.MapGet("/{id:guid}", GetAsync).WithName("GetAction")
            .WithSummary("One action with its status history and the transitions allowed now.")
            .WithDescription("Any role. The answer carries the action's ETag, for PUT.")
            .ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        actions.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateAction")
            .WithSummary("Replace an action's description (not its status). Needs If-Match.")
            .WithDescription("Admins. Send the whole description (as for POST) with If-Match: 428 without it, 412 (with the current ETag) when it changed since; 409 when the code is taken.")
            .NeedsIfMatch()
            .ProducesETag()
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        actions.MapPost("/{id:guid}/status", TransitionAsync).WithName("ChangeActionStatus")
            .WithSummary("Move an action along its workflow; an illegal move is 409 and names the allowed ones.")
            .WithDescription("Admins. requested → in_preparation → approved → in_implementation → completed; requested or in_preparation → rejected or transferred. The move is kept in the status history.")
            .ProducesETag()
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        actions.MapGet("/{id:guid}/activities", ListActivitiesAsync).WithName("ListActivities")
            .WithSummary("The activities of an action, in date order.")
            .WithDescription("Any role.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        actions.MapPost("/{id:guid}/activities", CreateActivityAsync).WithName("CreateActivity")
            .WithSummary("Add an activity inside the action's period.")
            .WithDescription("Admins. 409 when the action has no period yet, or the activity's days fall outside it.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<ActionPage>, ValidationProblem>> ListAsync(
        [AsParameters] ActionListParameters query, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = ParseFilter(query, await catalog.GetAsync(cancellationToken), errors);
        var (after, limit) = Paging.Read(errors, query.Cursor, query.Limit);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (rows, total, history) = await db.ReadAsync(async (connection, token) =>
        {
            var (rows, total) = await ActionsQueries.ListAsync(connection, filter, after, limit + 1, token);
            var history = await ActionsQueries.GetHistoryAsync(connection, rows.Take(limit).Select(r => r.Id).ToArray(), token);
            return (rows, total, history);
        }, cancellationToken);

        var items = rows.Take(limit).Select(row => ActionMapping.ToResponse(row, history)).ToList();
        return TypedResults.Ok(new ActionPage(items, rows.Count > limit ? Cursor.Encode(items[^1].Id) : null, total));
    }

    /// <summary>The list's filter, with every parameter's error collected; a theme stands for itself and its sub-themes.</summary>
    private static ActionFilter ParseFilter(ActionListParameters query, ReferenceSnapshot reference, ValidationErrors errors)
    {
        var themeCodes = reference.ThemeFilter(errors, "theme", query.Theme);

        if (query.Region is not null && !reference.RegionCodes.Contains(query.Region))
        {
            errors.Add("region", $"'{query.Region}' is not a region code (see GET /api/v1/regions).");
        }

        var filter = new ActionFilter
        {
            Status = Fields.OneOf(errors, "status", query.Status, ActionWorkflow.Statuses, required: false),
            Region = query.Region,
            Country = reference.CountryCode(errors, "country", query.Country, required: false),
            ThemeCodes = themeCodes,
            From = errors.Date("from", query.From),
            To = errors.Date("to", query.To),
        };
        if (filter.From > filter.To)
        {
            errors.Add("to", "Before from.");
        }

        return filter;
    }

    private static async Task<Results<Created<ActionResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ActionRequest request, Caller caller, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var draft = ActionValidation.Validate(request, await catalog.GetAsync(cancellationToken), errors);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var id = Guid.CreateVersion7();
        try
        {
            await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                await ActionsWrites.InsertAsync(connection, transaction, id, draft, caller.KeyId, token);
                return id;
            }, cancellationToken);
        }
        catch (PostgresException e) when (e.ConstraintName == ActionsWrites.CodeUniqueIndex)
        {
            return CodeTaken(draft.Code);
        }

        var (action, version) = (await ActionReader.LoadAsync(db, id, cancellationToken))!.Value;
        ETags.Set(context, version);
        return TypedResults.Created($"/api/v1/actions/{id}", action);
    }

    private static async Task<Results<Ok<ActionResponse>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context, Db db, CancellationToken cancellationToken)
    {
        if (await ActionReader.LoadAsync(db, id, cancellationToken) is not var (action, version))
        {
            return ActionReader.NotFound(id);
        }

        ETags.Set(context, version);
        return TypedResults.Ok(action);
    }

    private static async Task<Results<Ok<ActionResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, ActionRequest request, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var (expectedVersion, preconditionProblem) = ETags.ExpectedVersion(context);
        if (preconditionProblem is not null)
        {
            return preconditionProblem;
        }

        var errors = new ValidationErrors();
        var draft = ActionValidation.Validate(request, await catalog.GetAsync(cancellationToken), errors);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        int? version;
        try
        {
            version = await db.InTransactionAsync(
                (connection, transaction, token) => ActionsWrites.UpdateAsync(connection, transaction, id, expectedVersion, draft, token), cancellationToken);
        }
        catch (PostgresException e) when (e.ConstraintName == ActionsWrites.CodeUniqueIndex)
        {
            return CodeTaken(draft.Code);
        }

        var current = await ActionReader.LoadAsync(db, id, cancellationToken);
        if (current is null)
        {
            return ActionReader.NotFound(id);
        }

        if (version is null)
        {
            return ETags.Stale(context, current.Value.Version);
        }

        ETags.Set(context, current.Value.Version);
        return TypedResults.Ok(current.Value.Action);
    }

    private static async Task<Results<Ok<ActionResponse>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        Guid id, StatusChangeRequest request, Caller caller, HttpContext context, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var to = Fields.OneOf(errors, "to", request.To, ActionWorkflow.Statuses, required: true);
        var note = Fields.OptionalText(errors, "note", request.Note, 2000);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var outcome = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            var from = await ActionsWrites.LockStatusAsync(connection, transaction, id, token);
            if (from is null || !ActionWorkflow.CanMove(from, to!))
            {
                return (Moved: false, From: from);
            }

            await ActionsWrites.MoveAsync(connection, transaction, id, from, to!, note, caller.KeyId, token);
            return (Moved: true, From: from);
        }, cancellationToken);

        if (outcome.From is null)
        {
            return ActionReader.NotFound(id);
        }

        if (!outcome.Moved)
        {
            var allowed = ActionWorkflow.AllowedFrom(outcome.From);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"An action that is {outcome.From} cannot become {to}.",
                detail: allowed.Count == 0
                    ? $"{outcome.From} is final: no transition is allowed."
                    : $"From {outcome.From} it may become: {string.Join(", ", allowed)}.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = outcome.From, ["allowed"] = allowed });
        }

        var (action, version) = (await ActionReader.LoadAsync(db, id, cancellationToken))!.Value;
        ETags.Set(context, version);
        return TypedResults.Ok(action);
    }

    private static async Task<Results<Ok<IReadOnlyList<ActivityResponse>>, ProblemHttpResult>> ListActivitiesAsync(Guid id, Db db, CancellationToken cancellationToken)
    {
        var activities = await db.ReadAsync(async (connection, token) =>
            await ActionsQueries.GetAsync(connection, id, token) is null ? null : await ActionsQueries.GetActivitiesAsync(connection, id, token),
            cancellationToken);
        return activities is null
            ? ActionReader.NotFound(id)
            : TypedResults.Ok<IReadOnlyList<ActivityResponse>>(activities.Select(ActionMapping.ToResponse).ToList());
    }

    private static async Task<Results<Created<ActivityResponse>, ValidationProblem, ProblemHttpResult>> CreateActivityAsync(
        Guid id, ActivityRequest request, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var valid = ActionValidation.ValidateActivity(request, await catalog.GetAsync(cancellationToken), errors);
        if (valid is not var (type, title, from, to, country))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var activity = new ActivityRow(Guid.CreateVersion7(), id, type, title, from, to, country, country is null);
        var refusal = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            // Locked so that the action's period cannot change under the check.
            await ActionsWrites.ShareLockAsync(connection, transaction, id, token);
            var action = await ActionsQueries.GetAsync(connection, id, token);
            if (action is null)
            {
                return ActionReader.NotFound(id);
            }

            if (action.PeriodFrom is not { } actionFrom)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The action has no period yet.",
                    detail: "Give the action a period (PUT) before planning its activities.");
            }

            if (from < actionFrom || (action.PeriodTo is { } actionTo && to > actionTo))
            {
                return TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]>
                {
                    ["from"] = [$"The activity ({from:yyyy-MM-dd} to {to:yyyy-MM-dd}) must lie inside the action's period ({actionFrom:yyyy-MM-dd} to {(action.PeriodTo is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "open")})."],
                })
                { Status = StatusCodes.Status409Conflict, Title = "The activity falls outside the action's period." });
            }

            await ActionsWrites.InsertActivityAsync(connection, transaction, activity, token);
            return null;
        }, cancellationToken);

        return refusal is not null
            ? refusal
            : TypedResults.Created($"/api/v1/actions/{id}/activities", ActionMapping.ToResponse(activity));
    }

    private static ProblemHttpResult CodeTaken(string code) =>
        TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { ["code"] = [$"{code} is already the code of another action."] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Another action has this code.",
        });
}
