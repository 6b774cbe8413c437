using System.Security.Cryptography;
using System.Text;

namespace Ear.Api.Auth;

/// <summary>Issues key secrets and hashes them for storage and lookup.</summary>
internal static class ApiKeySecrets
{
    public const string Prefix = "ear_";

    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The first characters of a secret, kept in clear so a person can tell keys apart in a listing.</summary>
    public static string DisplayPrefix(string secret) => secret.Length <= 12 ? secret : secret[..12];
}
