using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

internal static class PkiEndpoints
{
    /// <summary>The unauthenticated PKI endpoints: the CA chain and the CRL.</summary>
    public static IEndpointRouteBuilder MapPki(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent/v1/ca", (ICaSigner ca) =>
                TypedResults.Text(ca.Certificate.ExportCertificatePem() + "\n", "application/x-pem-file"))
            .WithName("GetCaChain")
            .WithSummary("The CA certificate chain (PEM); check its SHA-256 fingerprint before trusting it");

        app.MapGet("/pki/crl", async (CrlPublisher crl, SignetDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Bytes(await crl.GetCurrentAsync(db, cancellationToken), "application/pkix-crl"))
            .WithName("GetCrl")
            .WithSummary("The current certificate revocation list (DER)");
        return app;
    }
}
