namespace Signet.Agent.Outcomes;

/// <summary>The agent's exit codes (src/Signet.Agent/README.md, contract).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotEnrolled = 3;
    public const int SignatureRejected = 4;
    public const int ServerUnreachable = 5;
    public const int EnrollmentRefused = 6;

    /// <summary>The server holds the enrollment for an administrator's approval; the keychain folder keeps the request.</summary>
    public const int EnrollmentHeld = 7;
}
