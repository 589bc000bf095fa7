namespace Signet.Server.Data;

/// <summary><c>Signet:Database</c>: which database holds Signet's state.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Signet:Database";

    /// <summary>Database provider; only <c>Sqlite</c> today (PostgreSQL follows).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>SQLite busy timeout in seconds: how long a writer waits for another one.</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;
}
