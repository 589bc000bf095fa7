namespace Signet.Server.Hosting;

/// <summary>Top-level <c>Signet</c> settings about where state lives.</summary>
internal sealed class HostingOptions
{
    public const string Section = "Signet";

    /// <summary>Folder for the database, the master key and the initial admin password.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Base64 of 32 bytes; when empty the key is read from (or created in) <c>&lt;data&gt;/master.key</c>.</summary>
    public string? MasterKey { get; set; }
}

/// <summary><c>Signet:Tls</c>: the HTTPS certificate the server issues itself.</summary>
internal sealed class TlsOptions
{
    public const string Section = "Signet:Tls";

    /// <summary>Extra DNS names (or IP addresses) besides localhost, 127.0.0.1 and ::1.</summary>
    public IList<string> HostNames { get; } = [];

    /// <summary>Lifetime of the server certificate.</summary>
    public int LifetimeDays { get; set; } = 397;

    /// <summary>Re-issue when less than this is left.</summary>
    public int RenewBeforeDays { get; set; } = 30;
}
