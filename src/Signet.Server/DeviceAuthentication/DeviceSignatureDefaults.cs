namespace Signet.Server.DeviceAuthentication;

/// <summary>Names of the device signature authentication scheme and policy.</summary>
internal static class DeviceSignatureDefaults
{
    public const string AuthenticationScheme = "DeviceSignature";
    public const string Policy = "Device";
    public const string ComputerIdClaim = "signet:computer-id";
    public const string UdidClaim = "signet:udid";
    public const string KeyIdClaim = "signet:keyid";

    /// <summary>"true" when the request carried a valid signature; "false" when it was served on Signet-Device alone.</summary>
    public const string SignedClaim = "signet:signed";

    /// <summary>The signature's outcome: "valid", or the problem code of a request served on Signet-Device alone.</summary>
    public const string SignatureOutcomeClaim = "signet:signature";
}
