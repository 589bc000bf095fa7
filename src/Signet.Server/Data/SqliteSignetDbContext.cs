using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Signet.Server.Data;

/// <summary>SQLite flavour of <see cref="SignetDbContext"/>; its migrations live in Data/Migrations/Sqlite.</summary>
internal sealed class SqliteSignetDbContext(DbContextOptions<SqliteSignetDbContext> options) : SignetDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no DateTimeOffset type and EF cannot order or compare its text form; all our instants are
        // UTC, so a 64-bit encoding keeps ORDER BY and range filters in SQL and in the right order.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
