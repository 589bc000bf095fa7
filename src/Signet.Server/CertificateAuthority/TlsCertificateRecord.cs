using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.CertificateAuthority;

/// <summary>The HTTPS server certificate issued by the CA, reused across restarts.</summary>
internal sealed class TlsCertificateRecord
{
    public int Id { get; set; }
    public required byte[] CertificateDer { get; set; }
    public required byte[] EncryptedPrivateKey { get; set; }

    /// <summary>The host names it was issued for, comma-separated and sorted, to notice configuration changes.</summary>
    public required string HostNames { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class TlsCertificateRecordConfiguration : IEntityTypeConfiguration<TlsCertificateRecord>
{
    public void Configure(EntityTypeBuilder<TlsCertificateRecord> builder)
    {
        builder.ToTable("TlsCertificates");
        builder.Property(c => c.CertificateDer).HasMaxLength(16_384);
        builder.Property(c => c.EncryptedPrivateKey).HasMaxLength(16_384);
        builder.Property(c => c.HostNames).HasMaxLength(4_096);
    }
}
