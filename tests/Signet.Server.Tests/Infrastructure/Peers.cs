using System.Net;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>Clients whose connection comes from a given address, as a computer, an office's NAT or a load balancer
/// in front of the server would be seen.</summary>
public static class Peers
{
    public static HttpClient ClientFrom(this SignetFactory factory, string address, string baseAddress = "http://localhost/") =>
        new(factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)))
        {
            BaseAddress = new Uri(baseAddress),
        };
}
