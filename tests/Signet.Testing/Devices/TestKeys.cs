using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Testing.Devices;

/// <summary>Device keys and CSRs. RSA-2048 keys are slow to make, so a few are made once and shared where a test
/// does not need a key of its own.</summary>
public static class TestKeys
{
    private static readonly Lazy<RSA[]> SharedRsa = new(() => [.. Enumerable.Range(0, 4).Select(_ => RSA.Create(2048))]);

    /// <summary>A shared RSA-2048 key (index 0..3).</summary>
    public static RSA Rsa(int index) => SharedRsa.Value[index];

    public static ECDsa NewP256() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string Csr(AsymmetricAlgorithm key, string subject = "CN=device")
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(),
        };
        return request.CreateSigningRequestPem();
    }

    public static string NewUdid() => Guid.NewGuid().ToString().ToUpperInvariant();
}
