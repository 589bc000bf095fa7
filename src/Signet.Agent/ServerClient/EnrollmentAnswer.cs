using Signet.Protocol.Wire;

namespace Signet.Agent.ServerClient;

/// <summary>The server's answer to an enrollment or to a poll of a held one: the certificate
/// (<see cref="Completed"/>), or the request still waits for an administrator (<see cref="Held"/>).</summary>
internal sealed record EnrollmentAnswer(EnrollResponse? Completed, EnrollmentHeldResponse? Held);
