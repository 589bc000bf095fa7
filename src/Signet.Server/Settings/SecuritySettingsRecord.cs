using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Settings;

/// <summary>The single row of the Security settings page.</summary>
internal sealed class SecuritySettingsRecord
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public bool CertificateBasedCommunication { get; set; }
    public int MaximumClockSkewSeconds { get; set; } = 300;
    public int DeviceCertificateLifetimeDays { get; set; } = 365;
    public string Reenrollment { get; set; } = SecuritySettings.ReenrollByApproval;

    /// <summary>New enrollments must declare a key held in a token (docs/hardware-keys.md).</summary>
    public bool RequireHardwareKeys { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid Version { get; set; }
}

internal sealed class SecuritySettingsRecordConfiguration : IEntityTypeConfiguration<SecuritySettingsRecord>
{
    public void Configure(EntityTypeBuilder<SecuritySettingsRecord> builder)
    {
        builder.ToTable("SecuritySettings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.Reenrollment).HasMaxLength(16).HasDefaultValue(SecuritySettings.ReenrollByApproval);
    }
}
