using System.Text.Json.Serialization;

namespace Signet.Server.Settings;

/// <summary>The Security settings as the agent API applies them (docs/api.md).</summary>
internal sealed record SecuritySettings(
    bool CertificateBasedCommunication,
    int MaximumClockSkewSeconds,
    int DeviceCertificateLifetimeDays,
    string Reenrollment,
    bool RequireHardwareKeys = false)
{
    /// <summary><c>reenrollment</c>: a known computer enrolling with a general invitation waits for an administrator.</summary>
    public const string ReenrollByApproval = "approval";

    /// <summary><c>reenrollment</c>: any valid invitation re-enrolls a known computer at once (labs that re-image).</summary>
    public const string ReenrollByInvitation = "invitation";

    public static readonly SecuritySettings Defaults = new(false, 300, 365, ReenrollByApproval);

    /// <summary>True when a general invitation alone re-enrolls a known computer.</summary>
    [JsonIgnore]
    public bool InvitationReenrolls => Reenrollment == ReenrollByInvitation;

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

        if (Reenrollment is not (ReenrollByApproval or ReenrollByInvitation))
        {
            errors["reenrollment"] = [$"Must be \"{ReenrollByApproval}\" or \"{ReenrollByInvitation}\"."];
        }

        return errors;
    }
}
