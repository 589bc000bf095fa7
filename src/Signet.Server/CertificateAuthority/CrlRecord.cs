using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.CertificateAuthority;

/// <summary>A published CRL; the highest number is the current one.</summary>
internal sealed class CrlRecord
{
    public long Number { get; set; }
    public required byte[] Der { get; set; }
    public DateTimeOffset ThisUpdate { get; set; }
    public DateTimeOffset NextUpdate { get; set; }
}

internal sealed class CrlRecordConfiguration : IEntityTypeConfiguration<CrlRecord>
{
    public void Configure(EntityTypeBuilder<CrlRecord> builder)
    {
        builder.ToTable("Crls");
        builder.HasKey(c => c.Number);
        builder.Property(c => c.Number).ValueGeneratedNever();
    }
}
