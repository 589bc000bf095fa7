namespace Signet.Server.Tls;

/// <summary>HTTPS with a certificate the server's own CA issues (<see cref="TlsCertificateProvider"/>).</summary>
internal static class TlsExtensions
{
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TlsOptions>()
            .BindConfiguration(TlsOptions.Section)
            .Validate(o => o.LifetimeDays is >= 2 and <= 825 && o.RenewBeforeDays >= 1 && o.RenewBeforeDays < o.LifetimeDays,
                "Signet:Tls:LifetimeDays must be 2..825 and Signet:Tls:RenewBeforeDays 1..LifetimeDays-1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TlsCertificateProvider>();
        builder.WebHost.ConfigureKestrel((_, kestrel) => kestrel.ConfigureHttpsDefaults(https =>
        {
            var tls = kestrel.ApplicationServices.GetRequiredService<TlsCertificateProvider>();
            // Kestrel wants a certificate source to accept the endpoint; each handshake then gets the one context
            // (a selector alone makes SslStream build a chain and an OpenSSL context per connection: ~5 ms of CPU).
            https.ServerCertificateSelector = (_, _) => tls.Current;
            https.OnAuthenticate = (_, ssl) =>
            {
                if (tls.Context is { } context)
                {
                    ssl.ServerCertificateSelectionCallback = null;
                    ssl.ServerCertificateContext = context;
                }
            };
        }));
        return builder;
    }
}
