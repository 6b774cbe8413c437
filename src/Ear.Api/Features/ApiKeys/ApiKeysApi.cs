using Ear.Api.Auth;
using Ear.Api.Features.Experts;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.ApiKeys;

internal static class ApiKeysApi
{
    public static void MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        keys.MapPost("/", IssueAsync).WithName("IssueApiKey")
            .WithSummary("Issue a key for a role (a focal point's for one member state). The secret is in this answer only.")
            .WithDescription("Admins. A focal point's key needs memberState, an EU member state today; other roles take none. EAR keeps only a hash of the secret.");
        keys.MapGet("/", ListAsync).WithName("ListApiKeys")
            .WithSummary("Every key, without secrets, revoked ones included.")
            .WithDescription("Admins.");
        keys.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey")
            .WithSummary("Revoke a key: it stops working at once.")
            .WithDescription("Admins. The key stays listed, with revokedAt.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Created<IssuedApiKey>, ValidationProblem>> IssueAsync(
        ApiKeyRequest request, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        var reference = await catalog.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        var name = Fields.RequiredText(errors, "name", request.Name, 200);
        var role = Fields.OneOf(errors, "role", request.Role, Roles.All, required: true);
        var memberState = reference.CountryCode(errors, "memberState", request.MemberState, required: role == Roles.FocalPoint);
        if (role == Roles.FocalPoint && memberState is not null && !reference.IsEuMember(memberState, DateOnly.FromDateTime(DateTime.UtcNow)))
        {
            errors.Add("memberState", $"{memberState} is not an EU member state today.");
        }

        if (role is not null && role != Roles.FocalPoint && memberState is not null)
        {
            errors.Add("memberState", "Only a focal point's key is bound to a member state.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var secret = ApiKeySecrets.NewSecret();
        var row = await db.InTransactionAsync(
            (connection, transaction, token) => ApiKeysWrites.InsertAsync(connection, transaction, Guid.CreateVersion7(), name!, role!, memberState,
                ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), token),
            cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{row.Id}", new IssuedApiKey(ApiKeyMapping.ToResponse(row), secret));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyResponse>>> ListAsync(Db db, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ApiKeyResponse>>((await db.ReadAsync(ApiKeysQueries.ListAsync, cancellationToken)).Select(ApiKeyMapping.ToResponse).ToList());

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeAsync(Guid id, Db db, ApiKeyCache keys, CancellationToken cancellationToken)
    {
        var row = await db.InTransactionAsync((connection, transaction, token) => ApiKeysWrites.RevokeAsync(connection, transaction, id, token), cancellationToken);
        // The other instances hear of it from the database within a second; this one refuses the key from its next request.
        keys.ForgetAll();
        return row is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API key.", detail: $"There is no key {id}.")
            : TypedResults.Ok(ApiKeyMapping.ToResponse(row));
    }
}
