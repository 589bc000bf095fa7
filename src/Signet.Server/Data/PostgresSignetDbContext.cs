using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Data;

/// <summary>PostgreSQL flavour of <see cref="SignetDbContext"/>; its migrations live in Data/Migrations/Postgres.
/// DateTimeOffset maps to timestamptz natively (every instant Signet writes is UTC, as Npgsql requires).</summary>
internal sealed class PostgresSignetDbContext(DbContextOptions<PostgresSignetDbContext> options) : SignetDbContext(options)
{
    /// <summary>The replay cache shared by every node (only clustered installs need one).</summary>
    public DbSet<SeenNonce> SeenNonces => Set<SeenNonce>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<SeenNonce>(SeenNonce.Configure);
    }
}

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
