namespace Signet.Server.Hosting;

/// <summary>A start the server refuses for a reason the operator can fix (a data folder or master key others can
/// read, a setting it cannot use); the message is the one line that says what to do, <see cref="ExitCode"/> the
/// process's exit code (<see cref="ServerExitCodes"/>).</summary>
internal sealed class StartRefusedException : Exception
{
    public StartRefusedException()
    {
    }

    public StartRefusedException(string message) : this(ServerExitCodes.DataFolder, message)
    {
    }

    public StartRefusedException(string message, Exception innerException) : this(ServerExitCodes.DataFolder, message, innerException)
    {
    }

    public StartRefusedException(int exitCode, string message, Exception? innerException = null) : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ServerExitCodes.Failed;
}
