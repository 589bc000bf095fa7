namespace Signet.Server.CertificateAuthority;

/// <summary>The values of <c>Signet:Ca:KeyStore</c>, also recorded with the CA so a start with the other one is refused.</summary>
internal static class CaKeyStores
{
    public const string Database = "database";
    public const string Pkcs11 = "pkcs11";
}
