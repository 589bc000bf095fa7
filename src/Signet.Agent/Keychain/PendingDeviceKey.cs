using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Keychain.Tokens;

namespace Signet.Agent.Keychain;

/// <summary>A key pair that has no certificate yet: freshly generated, or read back from the keychain where it waits
/// for its certificate (a renewal's device.key.new, an enrollment's enrollment.key). It can sign its own certificate
/// request (proof of possession) and is handed back to the keychain once the server has certified it. The key is in
/// memory (stored as PEM) or on a PKCS#11 token (stored as a <see cref="TokenKeyReference"/>).</summary>
internal sealed class PendingDeviceKey : IDisposable
{
    private PendingDeviceKey(DeviceKeyType type, AsymmetricAlgorithm key)
    {
        Type = type;
        Key = key;
        Placement = KeyPlacement.Of(key);
    }

    public DeviceKeyType Type { get; }

    /// <summary>Where the key is held.</summary>
    public KeyPlacement Placement { get; }

    /// <summary>The private key; internal to the agent so only a keychain stores it.</summary>
    internal AsymmetricAlgorithm Key { get; }

    public static PendingDeviceKey Generate(DeviceKeyType type) => new(type, type switch
    {
        DeviceKeyType.Rsa => RSA.Create(2048),
        DeviceKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        DeviceKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    });

    /// <summary>Generates a key pair on a PKCS#11 token.</summary>
    public static PendingDeviceKey Generate(DeviceKeyType type, TokenSettings token, Func<string, string?> environment) =>
        new(type, TokenKeys.Generate(token, type, environment));

    /// <summary>Reads what a keychain key file holds: a PEM key, or a reference to a token key (looked up on the
    /// token). Null when it is neither, or when the token has no such key; throws <see cref="KeychainException"/> when
    /// the token cannot be reached.</summary>
    public static PendingDeviceKey? FromKeyFile(ReadOnlySpan<byte> content, Func<string, string?> environment)
    {
        if (TokenKeyReference.FromKeyFile(content) is not { } reference)
        {
            return FromPem(Encoding.ASCII.GetString(content));
        }

        var key = TokenKeys.Open(reference, environment);
        if (key is not null && KeyMatch.TypeOf(key) is { } type)
        {
            return new PendingDeviceKey(type, key);
        }

        key?.Dispose();
        return null;
    }

    /// <summary>Reads a PEM PKCS#8 key of a type the agent uses; null when it is not one.</summary>
    public static PendingDeviceKey? FromPem(string pem)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { () => RSA.Create(), () => ECDsa.Create() })
        {
            var key = create();
            try
            {
                key.ImportFromPem(pem);
                if (KeyMatch.TypeOf(key) is { } type)
                {
                    return new PendingDeviceKey(type, key);
                }
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not this algorithm (or not a key at all): try the next.
            }

            key.Dispose();
        }

        return null;
    }

    /// <summary>The key as PEM PKCS#8, for the keychain file that holds it.</summary>
    public string ExportPem() => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>What the keychain file for this key holds: the PEM key, or for a token key only the reference to it.</summary>
    public byte[] ToKeyFile() => Key switch
    {
        TokenRsa rsa => rsa.Key.Reference.ToJson(),
        TokenEcdsa ec => ec.Key.Reference.ToJson(),
        _ => Encoding.ASCII.GetBytes(ExportPem()),
    };

    /// <summary>A PEM PKCS#10 request for this key, signed by it.</summary>
    public string CreateSigningRequestPem(string udid)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(udid);
        var request = Key switch
        {
            // A token key signs with PSS only: tpm2-pkcs11 makes raw PKCS#1 v1.5 signatures by decrypting, which a
            // signing-only TPM key refuses.
            TokenRsa rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
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
