using System.Security.Cryptography;
using Net.Pkcs11Interop.HighLevelAPI;
using Signet.Protocol.Device;

namespace Signet.Server.CertificateAuthority.Pkcs11;

/// <summary>A private key in the token and its public half, read from the token.</summary>
internal sealed record TokenKeyPair(IObjectHandle PrivateKey, AsymmetricAlgorithm PublicKey)
{
    public bool IsRsa => PublicKey is RSA;

    public bool Matches(byte[] subjectPublicKeyInfo) => PublicKeys.Matches(PublicKey, subjectPublicKeyInfo);
}
