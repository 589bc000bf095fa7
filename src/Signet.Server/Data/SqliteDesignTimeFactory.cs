using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Signet.Server.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the server.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSignetDbContext>
{
    public SqliteSignetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSignetDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
