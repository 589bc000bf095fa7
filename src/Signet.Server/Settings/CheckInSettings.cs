using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Settings;

/// <summary>The Check-In settings as the admin API shows them (DESIGN.md §8, <c>settings/check-in</c>).</summary>
internal sealed record CheckInSettings(int CheckInIntervalSeconds)
{
    public const int MinimumSeconds = 10;
    public const int MaximumSeconds = 86_400;

    /// <summary>Errors per field; empty when valid.</summary>
    public Dictionary<string, string[]> Validate() => CheckInIntervalSeconds is < MinimumSeconds or > MaximumSeconds
        ? new() { ["checkInIntervalSeconds"] = [$"Must be between {MinimumSeconds} and {MaximumSeconds} seconds."] }
        : [];
}

/// <summary>The single row of the Check-In page. Absent until an administrator saves the page: until then the
/// configured <c>Signet:CheckInIntervalSeconds</c> applies.</summary>
internal sealed class CheckInSettingsRecord
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public int CheckInIntervalSeconds { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid Version { get; set; }
}

internal sealed class CheckInSettingsRecordConfiguration : IEntityTypeConfiguration<CheckInSettingsRecord>
{
    public void Configure(EntityTypeBuilder<CheckInSettingsRecord> builder)
    {
        builder.ToTable("CheckInSettings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
