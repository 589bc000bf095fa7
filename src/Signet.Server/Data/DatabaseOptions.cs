namespace Signet.Server.Data;

/// <summary><c>Signet:Database</c>: which database holds Signet's state.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Signet:Database";
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";

    /// <summary>Database provider: <c>Sqlite</c> (one node, <c>&lt;data&gt;/signet.db</c>) or <c>PostgreSQL</c>
    /// (one or more nodes, <c>ConnectionStrings:Signet</c>).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite busy timeout in seconds: how long a writer waits for another one.</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;

    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    public bool IsSqlite => string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    /// <summary>The configured section as registrations read it, before any options are validated.</summary>
    public static DatabaseOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
}
