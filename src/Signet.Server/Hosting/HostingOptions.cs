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
