namespace Signet.Testing.Processes;

/// <summary>How a <see cref="ServerProcess"/> is started; the defaults suit a test (plain HTTP, a new data folder deleted
/// afterwards, the default CA key).</summary>
public sealed record ServerProcessOptions
{
    /// <summary>The signet-server.dll to run; null for the one built beside the running assembly.</summary>
    public string? ServerDll { get; init; }

    /// <summary>Listen on https (the server's own TLS certificate, issued by its CA) rather than plain http.</summary>
    public bool Https { get; init; }

    /// <summary>The port to listen on (where enrolled agents expect the server); null for a free one.</summary>
    public int? Port { get; init; }

    /// <summary>An existing data folder to start on (a restart, a restore); null for a new one.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Leave the data folder in place on dispose (a benchmark reads it afterwards, or starts on it again).</summary>
    public bool KeepDataDirectory { get; init; }

    /// <summary>The administrator's first password; null lets the server generate one (and write it to its data folder).</summary>
    public string? AdminPassword { get; init; } = ServerProcess.DefaultAdminPassword;

    /// <summary>More settings as environment variables (e.g. <c>Signet__Ca__KeyAlgorithm</c>, a database, a token's
    /// configuration); they win over the defaults.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Start under this umask (through /bin/sh, as an operator's shell sets it); null leaves this process's.</summary>
    public string? Umask { get; init; }

    /// <summary>How long a start may take to answer /healthz (a first start on a busy two-core machine is slow).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Stop with SIGTERM, so the server flushes and closes its database, rather than SIGKILL.</summary>
    public bool StopGracefully { get; init; }
}
