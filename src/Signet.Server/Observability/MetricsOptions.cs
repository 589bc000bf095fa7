namespace Signet.Server.Observability;

/// <summary><c>Signet:Metrics</c>: who may read <c>/metrics</c>, and how often the gauges are read.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Signet:Metrics";

    /// <summary>Client networks (CIDR, e.g. <c>10.0.0.0/24</c>) that may read <c>/metrics</c> without a token, besides
    /// loopback; an administrator's bearer token is accepted from anywhere.</summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>How often the certificate and enrollment-request gauges are read from the database.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);
}
