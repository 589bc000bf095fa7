using Signet.Protocol;

namespace Signet.Agent.Outcomes;

/// <summary>A command failed in a way the user must hear about: one line saying what happened and what to do, and the
/// exit code scripts act on. Thrown to unwind to the command runner, which prints it.</summary>
internal sealed class AgentFailure : Exception
{
    public AgentFailure()
    {
    }

    public AgentFailure(string message) : base(message)
    {
    }

    public AgentFailure(string message, Exception innerException) : base(message, innerException)
    {
    }

    public AgentFailure(int exitCode, string message, ProblemCode? problem = null) : base(message)
    {
        ExitCode = exitCode;
        Problem = problem;
    }

    public int ExitCode { get; } = ExitCodes.Failure;

    /// <summary>The server's problem code when the server refused the request.</summary>
    public ProblemCode? Problem { get; }

    /// <summary>When asking again makes sense (e.g. the server's poll interval for a held enrollment); the daemon
    /// waits this long instead of its check-in interval.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The command already printed the failure within its result (one JSON object); only the exit code is left.</summary>
    public bool Reported { get; init; }
}
