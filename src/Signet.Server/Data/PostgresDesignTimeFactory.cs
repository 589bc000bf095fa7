using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Signet.Server.Data;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a database or a running server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSignetDbContext>
{
    public PostgresSignetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSignetDbContext>().UseNpgsql("Host=localhost;Database=signet_design_time").Options);
}
