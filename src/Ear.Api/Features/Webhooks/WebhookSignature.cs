using System.Security.Cryptography;
using System.Text;

namespace Ear.Api.Features.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): the secret is whsec_ followed by base64 of
/// random bytes, and webhook-signature is "v1," and base64 of HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}".
/// </summary>
internal static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const int SecretBytes = 32;
    public const int MinSecretBytes = 24;
    public const int MaxSecretBytes = 64;

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The key of a secret, or null when it is not whsec_ and base64 of <see cref="MinSecretBytes"/> to <see cref="MaxSecretBytes"/> bytes.</summary>
    public static byte[]? Key(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length is >= MinSecretBytes and <= MaxSecretBytes ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Key(secret) ?? throw new InvalidOperationException("A stored webhook secret is not a whsec_ secret.");
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
