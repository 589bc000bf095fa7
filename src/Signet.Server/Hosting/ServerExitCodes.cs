namespace Signet.Server.Hosting;

/// <summary>What <c>signet-server</c> exits with; docs/operations.md lists them for operators and service managers.</summary>
internal static class ServerExitCodes
{
    public const int Succeeded = 0;

    /// <summary>Anything not listed below; the line names the error.</summary>
    public const int Failed = 1;

    /// <summary>An unknown command or argument, or a command's missing argument.</summary>
    public const int Usage = 2;

    /// <summary>A setting has a value the server cannot use (an option, the master key, a connection string).</summary>
    public const int Configuration = 3;

    /// <summary>The data folder or a file in it cannot be created, read or kept private.</summary>
    public const int DataFolder = 4;

    /// <summary>An address in <c>--urls</c> cannot be listened on (in use, not allowed, not valid).</summary>
    public const int Listen = 5;

    /// <summary>The database cannot be reached or opened, or its migrations fail.</summary>
    public const int Database = 6;

    /// <summary><c>backup</c>/<c>restore</c>: the database failed its integrity check.</summary>
    public const int IntegrityCheck = 7;
}
