using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Agent.Keychain;

/// <summary>A freshly generated key pair that is not stored yet. It can sign its own certificate request (proof of
/// possession) and is handed back to the keychain that made it once the server has certified it.</summary>
internal sealed class PendingDeviceKey : IDisposable
{
    private PendingDeviceKey(DeviceKeyType type, AsymmetricAlgorithm key)
    {
        Type = type;
        Key = key;
    }

    public DeviceKeyType Type { get; }

    /// <summary>The private key; internal to the agent so only a keychain stores it.</summary>
    internal AsymmetricAlgorithm Key { get; }

    public static PendingDeviceKey Generate(DeviceKeyType type) => new(type, type switch
    {
        DeviceKeyType.Rsa => RSA.Create(2048),
        DeviceKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        DeviceKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    });

    /// <summary>A PEM PKCS#10 request for this key, signed by it.</summary>
    public string CreateSigningRequestPem(string udid)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(udid);
        var request = Key switch
        {
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject.Build(), ec, Type == DeviceKeyType.EcP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException("Unsupported key type."),
        };
        return request.CreateSigningRequestPem();
    }

    /// <summary>True when <paramref name="certificate"/> certifies this key.</summary>
    public bool IsCertifiedBy(X509Certificate2 certificate) => KeyMatch.CertificateMatchesKey(certificate, Key);

    public void Dispose() => Key.Dispose();
}
