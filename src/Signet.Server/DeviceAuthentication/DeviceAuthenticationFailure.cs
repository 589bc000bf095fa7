namespace Signet.Server.DeviceAuthentication;

/// <summary>Why the scheme refused a request, for the challenge.</summary>
internal sealed record DeviceAuthenticationFailure(Signet.Protocol.ProblemCode Code, int Status, string Detail, string? CertificateStatus = null);
