using Ear.Api.Auth;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.Consent;

internal static class ConsentApi
{
    private const int MaxNote = 500;

    public static void MapConsent(this IEndpointRouteBuilder app)
    {
        var consents = app.MapGroup("/api/v1/experts/{id:guid}/consents").WithTags("Consent")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        consents.MapGet("/", GetAsync).WithName("GetExpertConsents")
            .WithSummary("The expert's consent for each purpose now, and every grant and withdrawal ever recorded.")
            .WithDescription("Any role; a focal point sees its own member state's experts only (404 otherwise).");
        consents.MapPost("/", GrantAsync).WithName("GrantConsent")
            .WithSummary("Record the expert's consent to one or more purposes (one grant each, on one basis).")
            .WithDescription("Admins, and focal points for their own member state. A grant replaces the one in force for its purpose; " +
                "the history keeps both. The first roster_membership grant also becomes the profile's consent.")
            .RequireAuthorization(Policies.RosterWriter);
        consents.MapPost("/withdrawals", WithdrawAsync).WithName("WithdrawConsent")
            .WithSummary("Withdraw the consent in force for one purpose; the effect is immediate.")
            .WithDescription("Admins, and focal points for their own member state. roster_membership: the expert leaves matching at once; " +
                "evaluation_use: evaluations no longer count; cv_text_extraction: the text of every CV version is deleted (the files stay); " +
                "cv_sharing: downloads for cv_sharing are refused. 409 when no consent to that purpose is in force.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.RosterWriter);
    }

    private static async Task<Results<Ok<ExpertConsents>, ProblemHttpResult>> GetAsync(Guid id, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var consents = await db.ReadAsync(async (connection, token) =>
            await CvQueries.IsVisibleAsync(connection, id, caller.MemberState, token) ? await ReadAsync(connection, id, token) : null, cancellationToken);
        return consents is null ? ExpertNotFound(id) : TypedResults.Ok(consents);
    }

    private static async Task<Results<Ok<ExpertConsents>, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid id, ConsentGrantRequest request, Caller caller, Db db, TimeProvider clock, CvTextRecovery cvTextRecovery, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var grants = ParseGrant(errors, id, request, caller, clock.GetUtcNow());
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var consents = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            if (await ExpertsWrites.LockAsync(connection, transaction, id, caller.MemberState, token) is null)
            {
                return null;
            }

            foreach (var grant in grants)
            {
                await ConsentWrites.WriteAsync(connection, transaction, grant, token);
            }

            return await ReadAsync(connection, id, token);
        }, cancellationToken);
        if (consents is not null && grants.Any(grant => grant.Purpose == ConsentVocabulary.CvTextExtraction))
        {
            cvTextRecovery.Wake(); // the CVs stored without text get it back from their files
        }

        return consents is null ? ExpertNotFound(id) : TypedResults.Ok(consents);
    }

    private static async Task<Results<Ok<ExpertConsents>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        Guid id, ConsentWithdrawalRequest request, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var known = Fields.OneOf(errors, "purpose", request.Purpose, ConsentVocabulary.Purposes.Keys, required: true);
        var note = Fields.OptionalText(errors, "note", request.Note, MaxNote);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (found, withdrawn, consents) = await db.InTransactionAsync(async (connection, transaction, token) =>
        {
            if (await ExpertsWrites.LockAsync(connection, transaction, id, caller.MemberState, token) is null)
            {
                return (false, false, (ExpertConsents?)null);
            }

            var done = await ConsentWrites.WriteAsync(connection, transaction, new ConsentChange.Withdrawal(id, known!, caller.KeyId, note), token);
            return (true, done is not null, await ReadAsync(connection, id, token));
        }, cancellationToken);
        if (!found)
        {
            return ExpertNotFound(id);
        }

        return withdrawn
            ? TypedResults.Ok(consents!)
            : TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["purpose"] = [$"No consent to {known} is in force for this expert: there is nothing to withdraw."],
            })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "No consent to withdraw.",
            });
    }

    private static List<ConsentChange.Grant> ParseGrant(ValidationErrors errors, Guid id, ConsentGrantRequest request, Caller caller, DateTimeOffset now)
    {
        var basis = Fields.OneOf(errors, "basis", request.Basis, ConsentVocabulary.Bases.Keys, required: true);
        var note = Fields.OptionalText(errors, "note", request.Note, MaxNote);
        var recordedAt = (request.RecordedAt ?? now).ToUniversalTime();
        if (recordedAt > now.AddDays(1))
        {
            errors.Add("recordedAt", "Cannot lie in the future.");
        }

        if (request.ExpiresAt is { } expires && expires <= recordedAt)
        {
            errors.Add("expiresAt", "Must come after recordedAt.");
        }

        var purposes = new List<string>();
        if (request.Purposes is not { Count: > 0 })
        {
            errors.Add("purposes", $"Required: at least one of {string.Join(", ", ConsentVocabulary.Purposes.Keys)}.");
        }
        else
        {
            for (var i = 0; i < request.Purposes.Count; i++)
            {
                if (Fields.OneOf(errors, $"purposes[{i}]", request.Purposes[i], ConsentVocabulary.Purposes.Keys, required: true) is { } purpose)
                {
                    if (purposes.Contains(purpose))
                    {
                        errors.Add($"purposes[{i}]", $"{purpose} is listed twice.");
                    }

                    purposes.Add(purpose);
                }
            }
        }

        return purposes.Select(p => new ConsentChange.Grant(id, p, basis ?? "", caller.KeyId, note, recordedAt, request.ExpiresAt?.ToUniversalTime())).ToList();
    }

    private static async Task<ExpertConsents> ReadAsync(Npgsql.NpgsqlConnection connection, Guid id, CancellationToken token)
    {
        var history = await ConsentQueries.HistoryAsync(connection, id, token);
        var current = await ConsentQueries.CurrentAsync(connection, id, token);
        return ConsentMapping.ToResponse(id, current, history);
    }

    private static ProblemHttpResult ExpertNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such expert.", detail: $"There is no expert {id} that this key may see.");
}
