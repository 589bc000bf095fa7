
namespace Signet.Server.Lifecycle;

/// <summary>An enrollment as the agent asked for it: the CSR's key (possession already proven), the device, the
/// invitation code if any, and the computer whose current certificate signed the request, if it was signed.</summary>
internal sealed record EnrollmentAttempt(string? InvitationCode, System.Security.Cryptography.X509Certificates.PublicKey Key,
    Protocol.Wire.DeviceInfo Device, string? SignedByComputerId);
