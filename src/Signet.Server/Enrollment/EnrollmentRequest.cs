using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Enrollment;

internal enum EnrollmentRequestStatus
{
    Pending = 0,
    Approved = 1,
    Denied = 2,
}

/// <summary>An enrollment of a known computer held for an administrator (docs/lifecycle.md), with the evidence to decide
/// it. The id is the agent's secret for polling; the key is the one the CSR proved possession of.</summary>
internal sealed class EnrollmentRequest
{
    /// <summary>128 random bits, lowercase hex.</summary>
    public required string Id { get; set; }

    /// <summary>The enrolled computer the request claims to be.</summary>
    public required string ComputerId { get; set; }
    public required string Udid { get; set; }

    /// <summary>The CSR's SubjectPublicKeyInfo (DER): the key a certificate is issued to on approval.</summary>
    public required byte[] PublicKey { get; set; }
    public required string PublicKeySha256 { get; set; }
    public string? SerialNumber { get; set; }
    public string? Hostname { get; set; }
    public string? Model { get; set; }
    public string? OsName { get; set; }
    public string? OsVersion { get; set; }

    /// <summary>The key protection the agent declared, given to the certificate issued on approval.</summary>
    public string? KeyProtection { get; set; }
    public string? KeyToken { get; set; }

    /// <summary>Client address the request came from.</summary>
    public required string SourceAddress { get; set; }

    /// <summary>Listing id of the invitation presented, or null for a recovery request made without one.</summary>
    public string? InvitationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public EnrollmentRequestStatus Status { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>Keyid of the certificate issued on approval.</summary>
    public string? IssuedThumbprint { get; set; }
    public Guid Version { get; set; }
}

internal sealed class EnrollmentRequestConfiguration : IEntityTypeConfiguration<EnrollmentRequest>
{
    public void Configure(EntityTypeBuilder<EnrollmentRequest> builder)
    {
        builder.ToTable("EnrollmentRequests");
        builder.Property(r => r.Id).HasMaxLength(32);
        builder.Property(r => r.ComputerId).HasMaxLength(36);
        builder.Property(r => r.Udid).HasMaxLength(64);
        builder.Property(r => r.PublicKey).HasMaxLength(4_096);
        builder.Property(r => r.PublicKeySha256).HasMaxLength(64);
        builder.Property(r => r.SerialNumber).HasMaxLength(255);
        builder.Property(r => r.Hostname).HasMaxLength(255);
        builder.Property(r => r.Model).HasMaxLength(255);
        builder.Property(r => r.OsName).HasMaxLength(255);
        builder.Property(r => r.OsVersion).HasMaxLength(255);
        builder.Property(r => r.KeyProtection).HasMaxLength(16);
        builder.Property(r => r.KeyToken).HasMaxLength(255);
        builder.Property(r => r.SourceAddress).HasMaxLength(64);
        builder.Property(r => r.InvitationId).HasMaxLength(16);
        builder.Property(r => r.DecidedBy).HasMaxLength(128);
        builder.Property(r => r.IssuedThumbprint).HasMaxLength(64);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => new { r.Status, r.ExpiresAt });
        builder.HasIndex(r => new { r.Udid, r.PublicKeySha256 });
        builder.HasOne<Computers.Computer>().WithMany().HasForeignKey(r => r.ComputerId).OnDelete(DeleteBehavior.Cascade);
    }
}
