namespace Signet.Server.CertificateAuthority;

/// <summary><c>Signet:Ca</c>: how the built-in CA is created on first start.</summary>
internal sealed class CaOptions
{
    public const string Section = "Signet:Ca";

    /// <summary>CA key: RSA-2048 (default), RSA-3072, RSA-4096, ECDSA-P256 or ECDSA-P384.</summary>
    public string KeyAlgorithm { get; set; } = "RSA-2048";

    /// <summary>Validity of the CA certificate.</summary>
    public int LifetimeYears { get; set; } = 10;

    public static readonly string[] KeyAlgorithms = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"];
}
