using System.Text.Json.Serialization;

namespace Signet.Server.Settings;

/// <summary>The Security settings as the agent API applies them (DESIGN.md §8).</summary>
internal sealed record SecuritySettings(
    bool CertificateBasedCommunication,
    int MaximumClockSkewSeconds,
    int DeviceCertificateLifetimeDays)
{
    public static readonly SecuritySettings Defaults = new(false, 300, 365);

    [JsonIgnore]
    public TimeSpan MaximumClockSkew => TimeSpan.FromSeconds(MaximumClockSkewSeconds);

    [JsonIgnore]
    public TimeSpan DeviceCertificateLifetime => TimeSpan.FromDays(DeviceCertificateLifetimeDays);

    /// <summary>Errors per field; empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (MaximumClockSkewSeconds is < 5 or > 3600)
        {
            errors["maximumClockSkewSeconds"] = ["Must be between 5 and 3600 seconds."];
        }

        if (DeviceCertificateLifetimeDays is < 1 or > 3650)
        {
            errors["deviceCertificateLifetimeDays"] = ["Must be between 1 and 3650 days."];
        }

        return errors;
    }
}
