using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Signet.Server.Hosting;

internal static class TrustedProxies
{
    /// <summary>Binds <c>Signet:ForwardedHeaders</c> into ASP.NET Core's forwarded-headers options, replacing the
    /// framework's defaults (loopback) with exactly what is configured.</summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>()
            .BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => o.IsValid,
                "Signet:ForwardedHeaders:KnownProxies must list IP addresses (10.0.0.5) and Signet:ForwardedHeaders:KnownNetworks CIDR ranges (10.0.0.0/24).")
            .ValidateOnStart();
        // PostConfigure: also wins over ASPNETCORE_FORWARDEDHEADERS_ENABLED, which would otherwise trust every peer.
        builder.Services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            var settings = trusted.Value;
            if (settings.IsEmpty)
            {
                // Empty lists would make the middleware believe any peer: with nothing configured, read nothing.
                forwarded.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }

            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through every known proxy in the chain (CDN, then balancer) and stop at the first unknown hop.
            forwarded.ForwardLimit = null;
            foreach (var proxy in settings.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }

            foreach (var network in settings.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network.Trim()));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it sees the computer's address; nothing when no proxy is
    /// configured.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.IsEmpty)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
