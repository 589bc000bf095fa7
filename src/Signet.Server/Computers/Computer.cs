using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Computers;

/// <summary>An enrolled computer, identified by its hardware UUID.</summary>
internal sealed class Computer
{
    public required string Id { get; set; }
    public required string Udid { get; set; }
    public string? SerialNumber { get; set; }
    public string? Hostname { get; set; }
    public string? Model { get; set; }
    public string? OsName { get; set; }
    public string? OsVersion { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
    public DateTimeOffset? LastContactAt { get; set; }

    /// <summary>The client address of the last request served for this computer.</summary>
    public string? LastContactAddress { get; set; }
    public DateTimeOffset? LastInventoryAt { get; set; }

    /// <summary><c>valid</c> or the problem slug of the last signature check.</summary>
    public string? LastSignatureOutcome { get; set; }
    public DateTimeOffset? LastSignatureAt { get; set; }

    /// <summary>The last time the computer sent a valid signature: with a refused last outcome, a computer that was
    /// managed and is now locked out (the overview's banner).</summary>
    public DateTimeOffset? LastValidSignatureAt { get; set; }
    public Guid Version { get; set; }

    /// <summary>When an administrator deleted the computer. The row stays (its certificates stay on the CRL and in the
    /// audit trail) but every query skips it, and its UDID may enroll again as a new computer.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

internal sealed class ComputerConfiguration : IEntityTypeConfiguration<Computer>
{
    public void Configure(EntityTypeBuilder<Computer> builder)
    {
        builder.ToTable("Computers");
        builder.Property(c => c.Id).HasMaxLength(36);
        builder.Property(c => c.Udid).HasMaxLength(64);
        builder.Property(c => c.SerialNumber).HasMaxLength(255);
        builder.Property(c => c.Hostname).HasMaxLength(255);
        builder.Property(c => c.Model).HasMaxLength(255);
        builder.Property(c => c.OsName).HasMaxLength(255);
        builder.Property(c => c.OsVersion).HasMaxLength(255);
        builder.Property(c => c.LastSignatureOutcome).HasMaxLength(32);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.LastContactAddress).HasMaxLength(64);
        builder.HasQueryFilter(c => c.DeletedAt == null);
        // One enrolled computer per UDID; deleted ones do not count.
        builder.HasIndex(c => c.Udid).IsUnique().HasFilter("\"DeletedAt\" IS NULL");
        builder.HasIndex(c => c.Hostname);
        builder.HasIndex(c => c.SerialNumber);
    }
}
