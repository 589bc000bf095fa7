using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain;

namespace Signet.Agent.Tests;

/// <summary>A throwaway CA that certifies agent keys the way the server would (from the agent's own CSR).</summary>
internal sealed class TestCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCa()
    {
        var request = new CertificateRequest("CN=Test Signet CA", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Bundle => [X509CertificateLoader.LoadCertificate(Certificate.RawData)];

    public X509Certificate2 Issue(PendingDeviceKey key, string udid = "udid-1", int days = 30) =>
        Issue(CertificateRequest.LoadSigningRequestPem(key.CreateSigningRequestPem(udid), HashAlgorithmName.SHA256), days);

    public X509Certificate2 Issue(CertificateRequest csr, int days = 30)
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return csr.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(days), serial);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
