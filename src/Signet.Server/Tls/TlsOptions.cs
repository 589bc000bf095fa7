namespace Signet.Server.Tls;

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
