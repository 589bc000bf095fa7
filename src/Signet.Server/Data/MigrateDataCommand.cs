using Microsoft.EntityFrameworkCore;
using Npgsql;
using Signet.Server.Hosting;

namespace Signet.Server.Data;

/// <summary><c>signet-server migrate-data --to-postgres "&lt;connection string&gt;"</c>: copies a SQLite installation
/// (<c>Signet:DataDirectory</c>) into an empty PostgreSQL database, in one transaction, before any web host starts.</summary>
internal static class MigrateDataCommand
{
    public const string Verb = "migrate-data";
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;
    public const int TargetNotEmpty = 3;
    private const int BatchSize = 1_000;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var index = Array.IndexOf(args, "--to-postgres");
        var help = args.Contains("--help");
        if (help || index < 0 || index + 1 >= args.Length || string.IsNullOrWhiteSpace(args[index + 1]))
        {
            var writer = help ? output : error;
            writer.WriteLine("""usage: signet-server migrate-data --to-postgres "<connection string>" [--Signet:DataDirectory=<folder>]""");
            writer.WriteLine("Copies the SQLite installation in the data folder to an empty PostgreSQL database.");
            return help ? Succeeded : UsageError;
        }

        var target = args[index + 1];
        var rest = args.Where((_, i) => i != 0 && i != index && i != index + 1).ToArray();
        var hosting = CommandConfiguration.Hosting(CommandConfiguration.Build(rest));
        var dataDirectory = CommandConfiguration.DataDirectory(hosting);
        var database = Path.Combine(dataDirectory, DataDirectory.DatabaseFileName);
        if (!File.Exists(database))
        {
            error.WriteLine($"No SQLite installation at {database}: set Signet:DataDirectory (or Signet__DataDirectory) to the data folder.");
            return UsageError;
        }

        NpgsqlConnectionStringBuilder targetBuilder;
        try
        {
            targetBuilder = new NpgsqlConnectionStringBuilder(target);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"The PostgreSQL connection string is not valid: {e.Message}");
            return UsageError;
        }

        try
        {
            return await CopyAsync(database, targetBuilder.ConnectionString, dataDirectory, hosting.MasterKey, output, error);
        }
        catch (Exception e) when (e is NpgsqlException or DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            error.WriteLine($"Migration failed, nothing was written to PostgreSQL: {e.Message}");
            return Failed;
        }
    }

    private static async Task<int> CopyAsync(string sqlitePath, string targetConnectionString, string dataDirectory, string? configuredMasterKey,
        TextWriter output, TextWriter error)
    {
        await using var source = new SqliteSignetDbContext(new DbContextOptionsBuilder<SqliteSignetDbContext>()
            .UseSqlite(DataExtensions.SqliteConnectionString(dataDirectory, 30)).Options);
        if ((await source.Database.GetPendingMigrationsAsync()).Any())
        {
            // An older server's file: bring it to the current model first, as that server's next start would.
            await source.Database.MigrateAsync();
        }

        await using var destination = new PostgresSignetDbContext(new DbContextOptionsBuilder<PostgresSignetDbContext>()
            .UseNpgsql(targetConnectionString).Options);
        await destination.Database.MigrateAsync();
        if (await destination.CertificateAuthorities.AnyAsync() || await destination.Computers.IgnoreQueryFilters().AnyAsync() ||
            await destination.AdminUsers.AnyAsync() || await destination.AuditEvents.AnyAsync())
        {
            error.WriteLine("The PostgreSQL database already holds Signet data; migrate-data only fills an empty database. " +
                "Create a new database (or drop this one) and run it again.");
            return TargetNotEmpty;
        }

        await using var transaction = await destination.Database.BeginTransactionAsync();
        var counts = new List<(string Table, int Rows)>
        {
            ("CA", await CopyTableAsync(source.CertificateAuthorities, destination)),
            ("TLS certificates", await CopyTableAsync(source.TlsCertificates, destination)),
            ("CRLs", await CopyTableAsync(source.Crls, destination)),
            ("security settings", await CopyTableAsync(source.SecuritySettings, destination)),
            ("admin users", await CopyTableAsync(source.AdminUsers, destination)),
            ("admin tokens", await CopyTableAsync(source.AdminTokens, destination)),
            ("invitations", await CopyTableAsync(source.Invitations, destination)),
            ("computers", await CopyTableAsync(source.Computers, destination)),
            ("certificates", await CopyTableAsync(source.IssuedCertificates, destination)),
            ("enrollment requests", await CopyTableAsync(source.EnrollmentRequests, destination)),
            ("inventory submissions", await CopyTableAsync(source.InventorySubmissions, destination)),
            ("audit events", await CopyTableAsync(source.AuditEvents, destination)),
        };
        await ResetIdentitiesAsync(destination);
        await transaction.CommitAsync();

        foreach (var (table, rows) in counts)
        {
            output.WriteLine($"copied {rows,8} {table}");
        }

        output.WriteLine();
        output.WriteLine("Done. Start every node with:");
        output.WriteLine("  Signet__Database__Provider=PostgreSQL");
        output.WriteLine("  ConnectionStrings__Signet=\"<the connection string you gave>\"");
        if (await source.CertificateAuthorities.AnyAsync(c => c.KeyStore == CertificateAuthority.CaKeyStores.Pkcs11))
        {
            output.WriteLine("  Signet__Ca__KeyStore=pkcs11 and the same Signet__Ca__Pkcs11__Module, __Token, __KeyLabel and PIN (the CA key stays in the token)");
        }

        output.WriteLine(string.IsNullOrWhiteSpace(configuredMasterKey)
            ? $"  Signet__MasterKey=<the contents of {Path.Combine(dataDirectory, MasterKey.FileName)}> (secrets at rest are encrypted under it)"
            : "  Signet__MasterKey=<the same master key this installation uses> (secrets at rest are encrypted under it)");
        return Succeeded;
    }

    private static async Task<int> CopyTableAsync<T>(DbSet<T> rows, PostgresSignetDbContext destination) where T : class
    {
        var count = 0;
        // Every row, deleted computers included: their certificates stay on the CRL.
        await foreach (var row in rows.AsNoTracking().IgnoreQueryFilters().AsAsyncEnumerable())
        {
            destination.Add(row);
            if (++count % BatchSize == 0)
            {
                await destination.SaveChangesAsync();
                destination.ChangeTracker.Clear();
            }
        }

        await destination.SaveChangesAsync();
        destination.ChangeTracker.Clear();
        return count;
    }

    /// <summary>Rows were copied with their ids: move each identity past the largest, so new rows do not collide.</summary>
    private static async Task ResetIdentitiesAsync(PostgresSignetDbContext destination)
    {
        foreach (var entity in destination.Model.GetEntityTypes())
        {
            var key = entity.FindPrimaryKey();
            if (key is not { Properties: [{ ValueGenerated: Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd } id] } ||
                id.ClrType != typeof(long) && id.ClrType != typeof(int) || entity.GetTableName() is not { } table)
            {
                continue;
            }

            var column = id.GetColumnName();
            // Identifiers come from our own model, not from input.
#pragma warning disable EF1002
            await destination.Database.ExecuteSqlRawAsync(
                $"""SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'), COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}" """);
#pragma warning restore EF1002
        }
    }
}
