namespace Signet.Agent.ServerClient;

/// <summary>What the agent was asking for when the server refused, which decides the remedy and exit code.</summary>
internal enum RequestKind
{
    /// <summary>A request of an enrolled computer (check-in, inventory, renew).</summary>
    Device,

    /// <summary>Fetching the CA or sending an enrollment.</summary>
    Enrollment,

    /// <summary>Polling an enrollment the server holds for approval.</summary>
    HeldEnrollment,
}
