using System.Security.Claims;

namespace Ear.Api.Auth;

/// <summary>Who is calling: the key, its role and, for a focal point, the one member state it acts for.</summary>
internal sealed record Caller(Guid KeyId, string Role, string? MemberState)
{
    public const string KeyIdClaim = "ear:key_id";
    public const string MemberStateClaim = "ear:member_state";

    public bool IsAdmin => Role == Roles.Admin;

    public bool IsFocalPoint => Role == Roles.FocalPoint;

    /// <summary>
    /// Binds a handler's <c>Caller caller</c> parameter from the authenticated user, so handlers name who calls
    /// instead of reading claims. ApiExplorer documents no request parameter for a BindAsync type.
    /// </summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context.User));

    public static Caller From(ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(KeyIdClaim) ?? throw new InvalidOperationException("The request is not authenticated.")),
        user.FindFirstValue(ClaimTypes.Role)!,
        user.FindFirstValue(MemberStateClaim));

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(KeyIdClaim, KeyId.ToString()), new(ClaimTypes.Role, Role) };
        if (MemberState is not null)
        {
            claims.Add(new Claim(MemberStateClaim, MemberState));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
