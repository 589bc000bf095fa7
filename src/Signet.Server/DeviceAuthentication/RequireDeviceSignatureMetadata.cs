
namespace Signet.Server.DeviceAuthentication;

/// <summary>Endpoint metadata: this endpoint needs a valid signature even when certificate-based communication is off.</summary>
internal sealed class RequireDeviceSignatureMetadata;
