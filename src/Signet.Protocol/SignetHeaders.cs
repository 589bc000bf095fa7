namespace Signet.Protocol;

/// <summary>Header field names of the <c>signet-device</c> profile.</summary>
public static class SignetHeaders
{
    public const string SignetDevice = "Signet-Device";
    public const string ContentDigest = "Content-Digest";
    public const string SignatureInput = "Signature-Input";
    public const string Signature = "Signature";
}
