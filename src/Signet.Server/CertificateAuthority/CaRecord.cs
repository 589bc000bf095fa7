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
