namespace Signet.Server.CertificateAuthority;

internal static class CertificateAuthorityExtensions
{
    public static WebApplicationBuilder AddCertificateAuthority(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaOptions>()
            .BindConfiguration(CaOptions.Section)
            .Validate(o => CaOptions.KeyAlgorithms.Contains(o.KeyAlgorithm, StringComparer.OrdinalIgnoreCase),
                "Signet:Ca:KeyAlgorithm must be one of " + string.Join(", ", CaOptions.KeyAlgorithms) + ".")
            .Validate(o => o.LifetimeYears is >= 1 and <= 30, "Signet:Ca:LifetimeYears must be 1..30.")
            .Validate(o => o.UsesPkcs11 || string.Equals(o.KeyStore, CaKeyStores.Database, StringComparison.OrdinalIgnoreCase),
                "Signet:Ca:KeyStore must be 'database' or 'pkcs11'.")
            .Validate(o => !o.UsesPkcs11 || !string.IsNullOrWhiteSpace(o.Pkcs11.KeyLabel), "Signet:Ca:Pkcs11:KeyLabel must not be empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CertificateAuthorityStore>();
        builder.Services.AddSingleton<ICaSigner>(services => services.GetRequiredService<CertificateAuthorityStore>().Signer);
        builder.Services.AddSingleton<DeviceCertificateIssuer>();
        builder.Services.AddSingleton<CrlPublisher>();
        builder.Services.AddHostedService<CrlRefresher>();
        builder.Services.AddSingleton<DeviceCertificateStore>();
        builder.Services.AddScoped<IssuedCertificateQueries>();
        return builder;
    }
}
