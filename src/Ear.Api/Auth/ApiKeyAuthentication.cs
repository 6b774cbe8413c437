using System.Diagnostics;
using System.Text.Encodings.Web;
using Dapper;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ear.Api.Auth;

internal static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static void AddEarAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            // Everything needs a key unless an endpoint says AllowAnonymous (health, the OpenAPI document).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AdminOrReader, policy => policy.RequireRole(Roles.Admin, Roles.Reader))
            .AddPolicy(Policies.RosterWriter, policy => policy.RequireRole(Roles.Admin, Roles.FocalPoint));
    }

    private sealed class ApiKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        ApiKeyCache cache,
        Db db)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
            {
                return AuthenticateResult.NoResult();
            }

            var hash = ApiKeySecrets.Hash(values[0]!);
            if (!cache.TryGet(hash, out var caller))
            {
                // Read before the lookup: a change heard while it runs makes what it finds unservable.
                var generation = cache.Generation;
                var readAt = Stopwatch.GetTimestamp();
                const string sql = """
                    SELECT id AS KeyId, role AS Role, member_state AS MemberState
                    FROM api_keys
                    WHERE key_hash = @hash AND revoked_at IS NULL
                    """;
                var key = await db.ReadAsync(
                    (connection, token) => connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, new { hash }, cancellationToken: token)),
                    Context.RequestAborted);
                if (key is null)
                {
                    return AuthenticateResult.Fail("The API key is not valid.");
                }

                caller = new Caller(key.KeyId, key.Role, key.MemberState?.Trim());
                cache.Keep(hash, caller, generation, readAt);
            }

            return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(ApiKeyAuthentication.Scheme), ApiKeyAuthentication.Scheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{HeaderName}\"";
            return WriteProblemAsync(StatusCodes.Status401Unauthorized, "An API key is required.",
                $"Send a valid, unrevoked key in the {HeaderName} header.");
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            WriteProblemAsync(StatusCodes.Status403Forbidden, "This API key's role may not do this.", null);

        private Task WriteProblemAsync(int status, string title, string? detail) =>
            Problems.WriteAsync(Context, new ProblemDetails { Status = status, Title = title, Detail = detail });

        private sealed record KeyRow(Guid KeyId, string Role, string? MemberState);
    }
}
