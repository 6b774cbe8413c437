using System.Security.Claims;
using Ear.Api.Auth;

namespace Ear.Api.Platform.Database;

/// <summary>
/// The API key a request writes for, handed to the database so that the change feed's triggers record it
/// (decision 0023): <see cref="Db.InTransactionAsync{T}"/> sets it as the transaction-local setting ear.key_id.
/// </summary>
internal static class ChangeAuthor
{
    private static readonly AsyncLocal<Guid?> Key = new();

    public static Guid? Current => Key.Value;

    /// <summary>After authentication: every write of the request carries its key.</summary>
    public static void UseEarChangeAuthor(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (Guid.TryParse(context.User.FindFirstValue(Caller.KeyIdClaim), out var keyId))
            {
                Key.Value = keyId;
            }

            await next(context);
        });
}
