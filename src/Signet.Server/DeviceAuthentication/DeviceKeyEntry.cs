using Signet.Protocol.Signatures;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.DeviceAuthentication;

/// <summary>What the hot path needs to know about a device certificate.</summary>
internal sealed record DeviceKeyEntry(
    string KeyId,
    VerificationKey Key,
    string ComputerId,
    string Udid,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    CertificateStatus Status,
    DateTimeOffset? GraceUntil);
