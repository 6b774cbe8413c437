using System.Net;
using System.Net.Sockets;

namespace Ear.Api.Features.Webhooks;

/// <summary>
/// Where a webhook may be sent (decision 0023): an absolute http or https URL without credentials, and, unless
/// Ear:Webhooks:AllowPrivateNetworks, never to a loopback, private, link-local, unique-local or unspecified
/// address. Checked when a subscription is made (its literal host) and again on every connection (the addresses
/// its name resolves to then), so a name that later resolves inward is refused too.
/// </summary>
internal static class WebhookAddresses
{
    public static string? Refusal(string? url, bool allowPrivateNetworks)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "An absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "No credentials in the URL: verify deliveries by their signature.";
        }

        if (allowPrivateNetworks)
        {
            return null;
        }

        if (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IsInward(address)))
        {
            return "Not a loopback or private network address (Ear:Webhooks:AllowPrivateNetworks is off).";
        }

        return null;
    }

    public static bool IsInward(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224;
    }

    /// <summary>The connection step of the webhook HttpClient: resolves the host and refuses inward addresses.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivateNetworks || !IsInward(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no address a webhook may reach.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
