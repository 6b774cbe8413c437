using System.Text;
using CsvHelper;
using Ear.Api.Auth;
using Ear.Api.Features.Consent;
using Ear.Api.Features.Experts;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.Retention;

internal static class RetentionApi
{
    private const int MaxNote = 500;

    private const string CsvDescription =
        "One row per expert due: memberState, expertId, givenName, familyName, email, state, confirmedAt, dueAt, pendingSince, erasureAt (ISO 8601); " +
        "a cell starting with =, +, - or @ is written after a '.";

    public static void AddEarRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionPolicy>().Bind(builder.Configuration.GetSection(RetentionPolicy.Section))
            .Validate(policy => { policy.Check(); return true; }).ValidateOnStart();
        builder.Services.AddSingleton<RetentionJob>();
        builder.Services.AddHostedService<RetentionSchedule>();
        builder.Services.AddHostedService<ConsentExpiryWatch>();
    }

    public static void MapRetention(this IEndpointRouteBuilder app)
    {
        var retention = app.MapGroup("/api/v1/retention").WithTags("Retention").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        retention.MapGet("/plan", PlanAsync).WithName("PlanRetention")
            .WithSummary("Dry run: what the next retention run would do now, changing nothing.")
            .WithDescription("Admins. The policy in force (configuration section Retention), the count of each kind of action and the actions themselves (at most 1,000).");
        retention.MapPost("/runs", RunAsync).WithName("RunRetention")
            .WithSummary("Run the retention policy now, as the daily run does, and answer what it did.")
            .WithDescription("Admins. One run at a time across instances (a PostgreSQL advisory lock): 409 while another runs. " +
                "Idempotent: a second run finds nothing left to do. Every action is recorded for the experts' processing records.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var due = app.MapGroup("/api/v1").WithTags("Retention").RequireAuthorization(Policies.RosterWriter)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        due.MapGet("/reconfirmations", ListAsync).WithName("ListReconfirmations")
            .WithSummary("Experts whose profile must be re-confirmed: suspended (pending_reconfirmation) or due within the notice period.")
            .WithDescription("Admins (all member states, or memberState), and focal points (their own member state only). By member state, then oldest confirmation first.");
        app.MapGet("/api/v1/reconfirmations.csv", ExportCsvAsync).WithName("ExportReconfirmationsCsv").WithTags("Retention")
            .WithSummary("The same list as CSV, for a mail merge by focal points.")
            .WithDescription("Admins and focal points (their own member state only), as GET /api/v1/reconfirmations. Audited.")
            .RequireAuthorization(Policies.RosterWriter)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesCsvOnly(CsvDescription);
        due.MapPost("/experts/{id:guid}/reconfirm", ReconfirmAsync).WithName("ReconfirmExpert")
            .WithSummary("Record that the expert confirmed their profile: the retention clock restarts, and a suspended profile is matched again.")
            .WithDescription("Admins, and focal points for their own member state (404 otherwise).")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<RetentionReport>> PlanAsync(RetentionJob job, CancellationToken cancellationToken) =>
        TypedResults.Ok(await job.PlanAsync(cancellationToken));

    private static async Task<Results<Ok<RetentionReport>, ProblemHttpResult>> RunAsync(Caller caller, RetentionJob job, CancellationToken cancellationToken) =>
        await job.RunAsync("admin", caller.KeyId, cancellationToken) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A retention run is under way.",
                detail: "Another instance holds the retention lock; its run does this work. Ask again when it has finished.");

    private static async Task<Results<Ok<IReadOnlyList<ReconfirmationDue>>, ValidationProblem>> ListAsync(
        [AsParameters] ReconfirmationQuery query, Caller caller, ReferenceCatalog catalog, RetentionJob job, Db db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var due = await ReadDueAsync(query, caller, catalog, job, db, clock, cancellationToken);
        return due.Errors is { } errors ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(due.Items!);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> ExportCsvAsync(
        [AsParameters] ReconfirmationQuery query, Caller caller, ReferenceCatalog catalog, RetentionJob job, Db db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var due = await ReadDueAsync(query, caller, catalog, job, db, clock, cancellationToken);
        return due.Errors is { } errors ? TypedResults.ValidationProblem(errors) : TypedResults.Text(Csv(due.Items!), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<(IReadOnlyList<ReconfirmationDue>? Items, IDictionary<string, string[]>? Errors)> ReadDueAsync(
        ReconfirmationQuery query, Caller caller, ReferenceCatalog catalog, RetentionJob job, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var memberState = (await catalog.GetAsync(cancellationToken)).CountryCode(errors, "memberState", query.MemberState, required: false);
        if (errors.Any)
        {
            return (null, errors.ToDictionary());
        }

        var policy = job.Policy;
        var dueBefore = clock.GetUtcNow().AddDays(policy.ReconfirmationNoticeDays).AddMonths(-policy.ReconfirmAfterMonths);
        var rows = await db.ReadAsync((connection, token) => ReconfirmationQueries.DueAsync(connection, memberState, caller.MemberState, dueBefore, token),
            cancellationToken);
        return (rows.Select(row => new ReconfirmationDue(row.ExpertId, row.GivenName, row.FamilyName, row.Email, row.MemberState,
            row.PendingSince is null ? ExpertVocabulary.Confirmed : ExpertVocabulary.PendingReconfirmation, row.ConfirmedAt, row.ConfirmedAt.AddMonths(policy.ReconfirmAfterMonths),
            row.PendingSince, row.PendingSince?.AddMonths(policy.EraseAfterPendingMonths))).ToList(), null);
    }

    private static string Csv(IReadOnlyList<ReconfirmationDue> items)
    {
        using var text = new StringWriter();
        // A name starting with = + - @ would run as a formula in a spreadsheet: written after a ' (as the expert export does).
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }))
        {
            csv.WriteHeader("memberState", "expertId", "givenName", "familyName", "email", "state", "confirmedAt", "dueAt", "pendingSince", "erasureAt");
            foreach (var d in items)
            {
                csv.WriteField(d.MemberState);
                csv.WriteField(d.ExpertId.ToString());
                csv.WriteField(d.GivenName);
                csv.WriteField(d.FamilyName);
                csv.WriteField(d.Email);
                csv.WriteField(d.State);
                csv.WriteField(d.ConfirmedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                csv.WriteField(d.DueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                csv.WriteField(d.PendingSince?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                csv.WriteField(d.ErasureAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                csv.EndRecord();
            }
        }

        return text.ToString();
    }

    private static async Task<Results<Ok<Reconfirmation>, ValidationProblem, ProblemHttpResult>> ReconfirmAsync(
        Guid id, ReconfirmationRequest request, Caller caller, RetentionJob job, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var basis = Fields.OneOf(errors, "basis", request.Basis, ConsentVocabulary.Bases.Keys, required: true);
        var note = Fields.OptionalText(errors, "note", request.Note, MaxNote);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = clock.GetUtcNow();
        var found = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            if (await ExpertsWrites.LockAsync(connection, transaction, id, caller.MemberState, token) is null)
            {
                return false;
            }

            await ReconfirmationWrites.ReconfirmAsync(connection, transaction, id, caller.KeyId, basis!, note, now, token);
            return true;
        }, cancellationToken);
        return found
            ? TypedResults.Ok(new Reconfirmation(id, now, caller.KeyId, basis!, ExpertVocabulary.Confirmed, now.AddMonths(job.Policy.ReconfirmAfterMonths)))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such expert.", detail: $"There is no expert {id} that this key may see.");
    }
}
