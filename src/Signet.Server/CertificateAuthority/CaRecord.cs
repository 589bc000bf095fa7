using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.CertificateAuthority;

/// <summary>The install's CA: its certificate and, unless the key is in a token, its private key encrypted under the master key.</summary>
internal sealed class CaRecord
{
    /// <summary>Always <see cref="SingletonId"/>: the primary key is what stops two first starts making two CAs.</summary>
    public int Id { get; set; }
    public const int SingletonId = 1;

    public required byte[] CertificateDer { get; set; }

    /// <summary>Null when <see cref="KeyStore"/> is <c>pkcs11</c>: then the database holds no part of the CA's private key.</summary>
    public byte[]? EncryptedPrivateKey { get; set; }
    public required string KeyAlgorithm { get; set; }

    /// <summary><see cref="CaKeyStores"/>: where the private key is.</summary>
    public required string KeyStore { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CaRecordConfiguration : IEntityTypeConfiguration<CaRecord>
{
    public void Configure(EntityTypeBuilder<CaRecord> builder)
    {
        builder.ToTable("CertificateAuthorities");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CertificateDer).HasMaxLength(16_384);
        builder.Property(c => c.EncryptedPrivateKey).HasMaxLength(16_384);
        builder.Property(c => c.KeyAlgorithm).HasMaxLength(32);
        builder.Property(c => c.KeyStore).HasMaxLength(16);
    }
}

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
