namespace Signet.Server.CertificateAuthority;

/// <summary><c>Signet:Ca</c>: how the built-in CA is created on first start and where its key is kept.</summary>
internal sealed class CaOptions
{
    public const string Section = "Signet:Ca";

    /// <summary>CA key: RSA-2048 (default), RSA-3072, RSA-4096, ECDSA-P256 or ECDSA-P384.</summary>
    public string KeyAlgorithm { get; set; } = "RSA-2048";

    /// <summary>Validity of the CA certificate.</summary>
    public int LifetimeYears { get; set; } = 10;

    /// <summary>Where the CA's private key lives: <c>database</c> (encrypted under the master key) or <c>pkcs11</c> (a token).</summary>
    public string KeyStore { get; set; } = CaKeyStores.Database;

    /// <summary>The token when <see cref="KeyStore"/> is <c>pkcs11</c>.</summary>
    public Pkcs11CaOptions Pkcs11 { get; set; } = new();

    public bool UsesPkcs11 => string.Equals(KeyStore, CaKeyStores.Pkcs11, StringComparison.OrdinalIgnoreCase);

    public static readonly string[] KeyAlgorithms = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"];
}
