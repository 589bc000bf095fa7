namespace Signet.Server.Cluster;

/// <summary><c>Signet:PublicAuthority</c>: the host[:port] agents address, for nodes behind a load balancer that
/// does not pass the client's Host header on. Signatures cover <c>@authority</c>, so every node must verify against
/// the name the agent signed.</summary>
internal sealed class PublicAuthorityOptions
{
    public const string Key = "Signet:PublicAuthority";

    public string? PublicAuthority { get; set; }
}

internal static class PublicAuthorityMiddleware
{
    /// <summary>When <c>Signet:PublicAuthority</c> is set, requests are seen (and signatures verified) as addressed to it.</summary>
    public static IApplicationBuilder UseSignetPublicAuthority(this WebApplication app)
    {
        var configured = app.Configuration[PublicAuthorityOptions.Key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return app;
        }

        var host = new HostString(configured.Trim());
        return app.Use((context, next) =>
        {
            context.Request.Host = host;
            return next(context);
        });
    }
}
