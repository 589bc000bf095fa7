using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.CertificateAuthority;

/// <summary>Every device certificate the CA issued, kept for status checks, the CRL and the admin view.</summary>
internal sealed class IssuedCertificate
{
    public long Id { get; set; }
    public required string ComputerId { get; set; }

    /// <summary>Serial number, uppercase hex.</summary>
    public required string SerialNumber { get; set; }

    /// <summary>Lowercase hex SHA-256 of the DER: the signature keyid.</summary>
    public required string Thumbprint { get; set; }

    /// <summary>Lowercase hex SHA-256 of the certified key's SubjectPublicKeyInfo: a retried enrollment or renewal with
    /// the same key is recognised by it. Null for certificates issued before it was recorded.</summary>
    public string? PublicKeySha256 { get; set; }
    public required string Subject { get; set; }
    public required byte[] Der { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public CertificateStatus Status { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }

    /// <summary>When superseded by renewal: the old key stays usable until then. Null means no grace.</summary>
    public DateTimeOffset? GraceUntil { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>How the agent said it holds the key (<c>file</c> or <c>pkcs11</c>); null when it did not say. The
    /// agent's word, not a proof (docs/hardware-keys.md).</summary>
    public string? KeyProtection { get; set; }

    /// <summary>The token model the agent named for a <c>pkcs11</c> key.</summary>
    public string? KeyToken { get; set; }
    public Guid Version { get; set; }
}

internal sealed class IssuedCertificateConfiguration : IEntityTypeConfiguration<IssuedCertificate>
{
    public void Configure(EntityTypeBuilder<IssuedCertificate> builder)
    {
        builder.ToTable("IssuedCertificates");
        builder.Property(c => c.ComputerId).HasMaxLength(36);
        builder.Property(c => c.SerialNumber).HasMaxLength(64);
        builder.Property(c => c.Thumbprint).HasMaxLength(64);
        builder.Property(c => c.Subject).HasMaxLength(512);
        builder.Property(c => c.Der).HasMaxLength(16_384);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.SerialNumber).IsUnique();
        builder.HasIndex(c => c.Thumbprint).IsUnique();
        builder.Property(c => c.PublicKeySha256).HasMaxLength(64);
        builder.Property(c => c.KeyProtection).HasMaxLength(16);
        builder.Property(c => c.KeyToken).HasMaxLength(255);
        builder.HasIndex(c => new { c.ComputerId, c.Status });
        builder.HasIndex(c => new { c.ComputerId, c.PublicKeySha256 });
        // At most one current certificate per computer, even when two nodes enroll the same UDID at once.
        builder.HasIndex(c => c.ComputerId).IsUnique().HasFilter("\"Status\" = 0").HasDatabaseName("IX_IssuedCertificates_OneCurrent");
        builder.HasIndex(c => c.Status);
        builder.HasOne<Computers.Computer>().WithMany().HasForeignKey(c => c.ComputerId).OnDelete(DeleteBehavior.Cascade);
    }
}
