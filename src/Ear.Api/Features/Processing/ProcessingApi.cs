using Ear.Api.Auth;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Platform.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ear.Api.Features.Processing;

internal static class ProcessingApi
{
    public static void MapProcessing(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/experts/{id:guid}/processing", GetAsync).WithName("GetExpertProcessing").WithTags("Consent")
            .WithSummary("What was done with the expert's data, for which purpose and by whom: consents, re-confirmations, matching runs " +
                "that ranked them (run and rank only), CV downloads with their purpose, exports, and retention's actions.")
            .WithDescription("Admins, and focal points for their own member state (404 otherwise). Also part of GET /api/v1/experts/{id}/export. Audited.")
            .RequireAuthorization(Policies.RosterWriter)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<ExpertProcessingRecord>, ProblemHttpResult>> GetAsync(Guid id, Caller caller, Db db, CancellationToken cancellationToken)
    {
        var record = await db.ReadAsync(async (connection, token) =>
            await CvQueries.IsVisibleAsync(connection, id, caller.MemberState, token) ? await ProcessingQueries.ForAsync(connection, id, token) : null,
            cancellationToken);
        return record is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such expert.", detail: $"There is no expert {id} that this key may see.")
            : TypedResults.Ok(record);
    }
}
