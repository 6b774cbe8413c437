using Ear.Api.Auth;
using Ear.Api.Features.Audit;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Features.Deployments;
using Ear.Api.Features.Processing;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Experts;

internal static class ExpertsApi
{
    private const string ExportDescription =
        "Every matching expert, one row per expert, in the columns POST /api/v1/experts/import reads; a cell starting with =, +, - or @ is written after a '.";

    public static void MapExperts(this IEndpointRouteBuilder app)
    {
        var experts = app.MapGroup("/api/v1/experts").WithTags("Experts")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        experts.MapGet("/", SearchAsync).WithName("SearchExperts")
            .WithSummary("Search the roster: filters, free text, keyset pagination. Accept: text/csv exports every match as CSV.")
            .WithDescription("Any role. A focal point sees its own member state's experts only, and a reader no e-mail or phone. " +
                "Filters combine with AND; a page holds limit experts ordered by id, or with q by relevance (names and themes, then profile, then CV text), " +
                "with total the count of all matches (exact up to 1,000, else a lower bound: totalIsExact false), and with q highlights on the first page. " +
                "With Accept: text/csv the answer is every match (no paging), one row per expert, in the columns the import reads. " +
                "Every page and export is audited with its filter.")
            .ProducesCsv(ExportDescription);
        app.MapGet("/api/v1/experts.csv", ExportCsvAsync).WithName("ExportExpertsCsv").WithTags("Experts")
            .WithSummary("Export every expert the filter matches as CSV (the search's filter, no paging).")
            .WithDescription("Any role; the same answer as GET /api/v1/experts with Accept: text/csv, for clients that cannot choose " +
                "what they accept. A focal point exports its own member state's experts only, and a reader no e-mail or phone. " +
                "Every export is audited with its filter.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesCsvOnly(ExportDescription);
        experts.MapPost("/", CreateAsync).WithName("CreateExpert")
            .WithSummary("Add an expert to the roster.")
            .WithDescription("Admins, and focal points for their own member state (403 otherwise). 409 when the e-mail is taken " +
                "(an admin is told by whom). The answer carries the new profile's ETag.")
            .ProducesETag()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.RosterWriter);
        experts.MapPost("/import", ExpertsCsv.ImportAsync).WithName("ImportExperts")
            .WithSummary("Add many experts from CSV (the export's columns): every row is stored, or none.")
            .WithDescription("Admins, and focal points for their own member state. Columns as the search's CSV export writes them; languages as " +
                "fr:C1;en:B2, themes as legal:3. Every failing row is named (rows[n].field) in one 400; a row another request took meanwhile is 409. " +
                "An admin may give id; a focal point leaves it empty.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Accepts<string>("text/csv")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.RosterWriter);
        experts.MapGet("/{id:guid}", GetAsync).WithName("GetExpert")
            .WithSummary("One expert's profile, with its ETag.")
            .WithDescription("Any role; a reader gets no e-mail or phone, and a focal point sees its own member state's experts only (404 otherwise).")
            .ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound);
        experts.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateExpert")
            .WithSummary("Replace an expert's profile. Needs If-Match with the ETag of the version it changes. " +
                "An unavailability over a live deployment is refused (409).")
            .WithDescription("Admins, and focal points for their own member state. Send the whole profile (as for POST) with If-Match: 428 without it, " +
                "412 (with the current ETag) when someone changed it since. 409 names unavailability[n] and the deployment it falls on, or a taken e-mail.")
            .NeedsIfMatch()
            .ProducesETag()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(Policies.RosterWriter);
        experts.MapDelete("/{id:guid}", EraseAsync).WithName("EraseExpert")
            .WithSummary("Erase an expert's personal data and cancel the deployments still to come (listed in the answer); " +
                "anonymised history stays for the statistics. Refused (409) while a deployment is in progress.")
            .WithDescription("Admins, and focal points for their own member state. The answer lists the cancelled deployments (reason \"expert erased\"); " +
                "a 409 names the deployments in progress (deploymentsInProgress).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.RosterWriter);
        experts.MapGet("/{id:guid}/export", ExportAsync).WithName("ExportExpertData")
            .WithSummary("Everything EAR holds about one expert (the data subject's right of access).")
            .WithDescription("Admins, and focal points for their own member state: profile, deployments with evaluations, CV versions' metadata and the audit entries about the expert.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.RosterWriter);
    }

    private static async Task<Results<Ok<ExpertPage>, ValidationProblem, PushStreamHttpResult>> SearchAsync(
        [AsParameters] ExpertSearchParameters query, Caller caller, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = ExpertSearch.Parse(query, await catalog.GetAsync(cancellationToken), caller.MemberState, errors);
        var (_, limit) = Paging.Read(errors, cursor: null, query.Limit);
        var cursor = SearchCursor.Read(errors, query.Cursor, filter.Text);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (Paging.WantsCsv(context.Request))
        {
            return ExpertsCsv.Export(db, filter, caller);
        }

        // Snippets on the first page only: they help choose among the best matches, and cost a parse of each text.
        var (hits, children, total, totalIsExact) = await db.ReadPreferringStandbyAsync((connection, token) => ExpertSearchPage.ReadAsync(
            connection, filter, cursor, limit + 1, snippets: cursor is null, cvVisible: caller.Role != Roles.Reader, token), cancellationToken);

        var page = hits.Take(limit).ToList();
        var items = page.Select(hit => ExpertMapping.ToResponse(hit.Row, children, caller)).ToList();
        var nextCursor = hits.Count > limit ? new SearchCursor(page[^1].Tier, page[^1].Row.Id).Encode(filter.Text) : null;
        var highlights = filter.Text is null || cursor is not null
            ? []
            : page.Select(hit => new SearchHighlight(hit.Row.Id, ExpertSearchPage.NameOf(hit.Tier), ExpertSearchPage.SnippetHtml(hit.Snippet))).ToList();
        return TypedResults.Ok(new ExpertPage(items, nextCursor, total, totalIsExact, highlights));
    }

    private static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportCsvAsync(
        [AsParameters] ExpertFilterParameters query, Caller caller, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = ExpertSearch.Parse(query, await catalog.GetAsync(cancellationToken), caller.MemberState, errors);
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : ExpertsCsv.Export(db, filter, caller);
    }

    private static async Task<Results<Created<ExpertResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ExpertRequest request, Caller caller, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var draft = ExpertValidation.Validate(request, await catalog.GetAsync(cancellationToken), errors);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (OutsideCallerScope(caller, draft) is { } refused)
        {
            return refused;
        }

        var id = Guid.CreateVersion7();
        try
        {
            await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                await ExpertsWrites.InsertAsync(connection, transaction, id, draft, caller.KeyId, token);
                return id;
            }, cancellationToken);
        }
        catch (PostgresException e) when (e.ConstraintName == ExpertsWrites.EmailUniqueIndex)
        {
            return await EmailTakenAsync(db, caller, draft.Email, cancellationToken);
        }

        var created = await LoadAsync(db, id, caller, cancellationToken);
        ETags.Set(context, created!.Value.Version);
        return TypedResults.Created($"/api/v1/experts/{id}", created.Value.Response);
    }

    private static async Task<Results<Ok<ExpertResponse>, ProblemHttpResult>> GetAsync(
        Guid id, Caller caller, HttpContext context, Db db, CancellationToken cancellationToken)
    {
        var expert = await LoadAsync(db, id, caller, cancellationToken);
        if (expert is null)
        {
            return ExpertNotFound(id);
        }

        ETags.Set(context, expert.Value.Version);
        return TypedResults.Ok(expert.Value.Response);
    }

    private static async Task<Results<Ok<ExpertResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, ExpertRequest request, Caller caller, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var (expectedVersion, preconditionProblem) = ETags.ExpectedVersion(context);
        if (preconditionProblem is not null)
        {
            return preconditionProblem;
        }

        var errors = new ValidationErrors();
        var draft = ExpertValidation.Validate(request, await catalog.GetAsync(cancellationToken), errors);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (OutsideCallerScope(caller, draft) is { } refused)
        {
            return refused;
        }

        int? version;
        try
        {
            (version, var refusal) = await db.InTransactionAsync(
                (connection, transaction, token) => UpdateUnderLockAsync(connection, transaction, id, expectedVersion, caller, request, draft, token), cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        catch (PostgresException e) when (e.ConstraintName == ExpertsWrites.EmailUniqueIndex)
        {
            return await EmailTakenAsync(db, caller, draft.Email, cancellationToken);
        }

        if (version is null)
        {
            var current = await LoadAsync(db, id, caller, cancellationToken);
            if (current is null)
            {
                return ExpertNotFound(id);
            }

            return ETags.Stale(context, current.Value.Version);
        }

        var updated = await LoadAsync(db, id, caller, cancellationToken);
        ETags.Set(context, updated!.Value.Version);
        return TypedResults.Ok(updated.Value.Response);
    }

    /// <summary>
    /// The new version; none when the expert is not there for the caller or changed since <paramref name="expectedVersion"/>.
    /// The periods are checked under the row lock that a booking also takes: no deployment slips in between.
    /// </summary>
    private static async Task<(int? Version, ProblemHttpResult? Refusal)> UpdateUnderLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Guid id, int? expectedVersion, Caller caller, ExpertRequest request, ExpertDraft draft, CancellationToken cancellationToken)
    {
        var current = await ExpertsWrites.LockAsync(connection, transaction, id, caller.MemberState, cancellationToken);
        if (current is null || (expectedVersion is { } expected && expected != current))
        {
            return (null, null);
        }

        var clashing = await DeploymentsQueries.LiveWithinAsync(connection, transaction, id, draft.Unavailability, cancellationToken);
        if (clashing.Count > 0)
        {
            return (null, UnavailableWhileDeployed(request.Unavailability!, draft.Unavailability, clashing));
        }

        return (await ExpertsWrites.UpdateAsync(connection, transaction, id, expectedVersion, caller.MemberState, draft, caller.KeyId, cancellationToken), null);
    }

    /// <summary>
    /// Erasure cancels the deployments that have not started, since nobody can go on a mission as a blank
    /// row, and says which, so that whoever staffs those activities knows at once. A deployment in progress
    /// is refused instead: the expert is on the mission, and someone must decide whether it is cut short.
    /// Past deployments stay, anonymised, for the statistics.
    /// </summary>
    private static async Task<Results<Ok<ExpertErasure>, ProblemHttpResult>> EraseAsync(
        Guid id, Caller caller, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var outcome = await db.InTransactionAsync((connection, transaction, token) =>
            ExpertEraser.EraseAsync(connection, transaction, id, caller.MemberState, today, caller.KeyId, token), cancellationToken);
        if (outcome is null)
        {
            return ExpertNotFound(id);
        }

        return outcome.Erased is { } erasure ? TypedResults.Ok(erasure) : DeploymentsInProgress(outcome.InProgress);
    }

    private static async Task<Results<Ok<ExpertDataExport>, ProblemHttpResult>> ExportAsync(
        Guid id, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var expert = await LoadAsync(db, id, caller, cancellationToken);
        if (expert is null)
        {
            return ExpertNotFound(id);
        }

        var (deployments, documents, audit, processing) = await db.ReadAsync(async (connection, token) => (
            await DeploymentsQueries.ForExpertAsync(connection, id, token),
            await CvQueries.ListAsync(connection, id, token),
            await AuditQueries.ForAsync(connection, id, null, null, null, null, 10_000, token),
            await ProcessingQueries.ForAsync(connection, id, token)), cancellationToken);
        return TypedResults.Ok(new ExpertDataExport(
            DateTimeOffset.UtcNow,
            expert.Value.Response,
            deployments.Select(DeploymentMapping.ToResponse).ToList(),
            documents.Select(CvMapping.ToVersion).ToList(),
            audit,
            processing));
    }

    private static async Task<(ExpertResponse Response, int Version)?> LoadAsync(Db db, Guid id, Caller caller, CancellationToken cancellationToken) =>
        await db.ReadAsync((connection, token) => ExpertsQueries.GetProfileAsync(connection, id, caller.MemberState, token), cancellationToken)
            is { } row ? (ExpertMapping.ToResponse(row, caller), row.Version) : null;

    /// <summary>A focal point acts for its own member state only, also in what it writes.</summary>
    private static ProblemHttpResult? OutsideCallerScope(Caller caller, ExpertDraft draft) =>
        caller.IsFocalPoint && draft.MemberState != caller.MemberState
            ? TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["memberState"] = [$"A focal point of {caller.MemberState} maintains experts nominated by {caller.MemberState} only."],
            })
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "This key may not write experts of another member state.",
            })
            : null;

    /// <summary>A focal point is not told whose address it is (see <see cref="ExpertDisclosure"/>); an admin is.</summary>
    private static async Task<ProblemHttpResult> EmailTakenAsync(Db db, Caller caller, string email, CancellationToken cancellationToken)
    {
        if (caller.IsFocalPoint)
        {
            return FieldConflict("email", ExpertDisclosure.EmailUnusableTitle, ExpertDisclosure.EmailUnusable);
        }

        var holder = await db.ReadAsync((connection, token) => ExpertsQueries.EmailHolderAsync(connection, email, token), cancellationToken);
        return FieldConflict("email", "Another expert has this e-mail address.",
            $"{email} is already the e-mail of {(holder is { } id ? $"expert {id}" : "another expert")} (compared without regard to case).");
    }

    /// <summary>
    /// Names each declared period that falls on a live deployment's days, by its place in the request. Past
    /// deployments count too: they took place, and a period of unavailability over them would contradict the record.
    /// </summary>
    private static ProblemHttpResult UnavailableWhileDeployed(
        IReadOnlyList<DatePeriod?> requested, IReadOnlyList<(DateOnly From, DateOnly To)> periods, IReadOnlyList<DeploymentRow> clashing)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (from, to) in periods)
        {
            var overlapping = clashing.Where(d => d.From <= to && from <= d.To).ToList();
            if (overlapping.Count == 0)
            {
                continue;
            }

            var index = requested.ToList().FindIndex(p => p?.From == from && p.To == to);
            errors[$"unavailability[{index}]"] = overlapping
                .Select(d => $"The expert is deployed from {d.From:yyyy-MM-dd} to {d.To:yyyy-MM-dd} (deployment {d.Id}, {d.ActionCode}): cancel the deployment first, or declare other days.")
                .ToArray();
        }

        return TypedResults.Problem(new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The expert is deployed on some of these days.",
            Extensions = { ["clashingDeployments"] = clashing.Select(DeploymentMapping.ToSummary).ToList() },
        });
    }

    private static ProblemHttpResult DeploymentsInProgress(IReadOnlyList<DeploymentRow> inProgress) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The expert is on a deployment in progress.",
            detail: string.Join("; ", inProgress.Select(d => $"deployment {d.Id} ({d.ActionCode}, {d.From:yyyy-MM-dd} to {d.To:yyyy-MM-dd})")) +
                ". Cancel it (POST /api/v1/deployments/{id}/cancel) or erase the expert once it has ended.",
            extensions: new Dictionary<string, object?> { ["deploymentsInProgress"] = inProgress.Select(DeploymentMapping.ToSummary).ToList() });

    private static ProblemHttpResult FieldConflict(string field, string title, string message) =>
        TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = title,
        });

    private static ProblemHttpResult ExpertNotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "No such expert.", detail: $"There is no expert {id} that this key may see.");
}

/// <summary>What EAR holds about one expert: the profile, every deployment with its evaluation, the CV versions' metadata, and the audit entries about them.</summary>
/// <param name="ExportedAt">When this export was made.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Deployments">Every deployment, with its evaluation.</param>
/// <param name="CvDocuments">Every CV version's metadata (the files are downloaded separately).</param>
/// <param name="AuditEntries">The audit entries about the expert.</param>
/// <param name="Processing">The processing record: consents, re-confirmations, matching runs, disclosures and retention actions (GET /experts/{id}/processing).</param>
internal sealed record ExpertDataExport(
    DateTimeOffset ExportedAt,
    ExpertResponse Profile,
    IReadOnlyList<DeploymentResponse> Deployments,
    IReadOnlyList<CvVersion> CvDocuments,
    IReadOnlyList<AuditEntry> AuditEntries,
    ExpertProcessingRecord Processing);
