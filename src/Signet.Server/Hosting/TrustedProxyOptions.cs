using System.Net;
using IPNetwork = System.Net.IPNetwork;

namespace Signet.Server.Hosting;

/// <summary><c>Signet:ForwardedHeaders</c>: the load balancers whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed, so rate limits and the audit log see the computer's address (and HSTS the
/// client's https). Nothing is trusted by default: from any other peer the headers are ignored.</summary>
internal sealed class TrustedProxyOptions
{
    public const string Section = "Signet:ForwardedHeaders";

    /// <summary>IP addresses of the proxies, such as <c>10.0.0.5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of the proxies in CIDR form, such as <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    public bool IsEmpty => KnownProxies.Count == 0 && KnownNetworks.Count == 0;

    public bool IsValid => KnownProxies.All(p => IPAddress.TryParse(p.Trim(), out _)) &&
        KnownNetworks.All(n => IPNetwork.TryParse(n.Trim(), out _));
}
