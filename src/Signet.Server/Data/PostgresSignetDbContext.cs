using Microsoft.EntityFrameworkCore;

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
