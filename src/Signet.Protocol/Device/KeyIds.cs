using System.Security.Cryptography;

namespace Signet.Protocol.Device;

/// <summary>The <c>keyid</c> of the signet-device profile: lowercase hex SHA-256 of the certificate's DER bytes.</summary>
public static class KeyIds
{
    public static string FromCertificate(ReadOnlySpan<byte> certificateDer) =>
        Convert.ToHexStringLower(SHA256.HashData(certificateDer));
}
