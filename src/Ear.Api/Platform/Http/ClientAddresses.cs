using System.Net;
using System.Net.Sockets;

namespace Ear.Api.Platform.Http;

/// <summary>Who is calling, as far as the connection tells: the rate limiter's key for requests without a valid API key, and the audit's.</summary>
internal static class ClientAddresses
{
    /// <summary>
    /// The caller's address; an IPv6 client is counted by its /64, the block one subscriber is given, so
    /// that cycling through addresses inside it does not multiply anything.
    /// </summary>
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
