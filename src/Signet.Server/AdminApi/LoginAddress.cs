using System.Net;
using System.Net.Sockets;

namespace Signet.Server.AdminApi;

/// <summary>What the login limits count a client by: its IPv4 address, or the /64 of its IPv6 address (one host is
/// usually given a whole /64, so counting single IPv6 addresses would let it pick a fresh one for every guess).</summary>
internal static class LoginAddress
{
    public static string Of(IPAddress? address)
    {
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
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The same for an address already written out (as the audit log has it).</summary>
    public static string Of(string address) =>
        IPAddress.TryParse(address, out var parsed) ? Of(parsed) : address;
}
