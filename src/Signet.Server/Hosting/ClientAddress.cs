namespace Signet.Server.Hosting;

/// <summary>The address a request came from, as logs and the audit log record it (after <see cref="TrustedProxies"/>
/// resolved forwarded headers).</summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
