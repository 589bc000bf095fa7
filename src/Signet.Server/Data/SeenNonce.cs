using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Data;

/// <summary>A signature nonce some node accepted; the row can go once <see cref="ExpiresAt"/> passed.</summary>
internal sealed class SeenNonce
{
    public const string Table = "SeenNonces";
    public required string Nonce { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    public static void Configure(EntityTypeBuilder<SeenNonce> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(n => n.Nonce);
        builder.Property(n => n.Nonce).HasMaxLength(256);
        builder.HasIndex(n => n.ExpiresAt);
    }
}
