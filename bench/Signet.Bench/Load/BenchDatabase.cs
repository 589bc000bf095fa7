using System.Security.Cryptography;
using Npgsql;

namespace Signet.Bench.Load;

/// <summary>The database a scenario's servers use.</summary>
internal enum BenchDatabaseKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>SQLite: the server's own <c>signet.db</c> in its data folder. PostgreSQL: a uniquely named database created
/// from <c>SIGNET_BENCH_POSTGRES</c> (else <c>SIGNET_TEST_POSTGRES</c>) and dropped afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;

    private BenchDatabase(BenchDatabaseKind kind, string? adminConnectionString, string? name)
    {
        Kind = kind;
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = name is null ? null : new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public BenchDatabaseKind Kind { get; }

    /// <summary>PostgreSQL only: the database's name.</summary>
    public string? Name { get; }

    /// <summary>PostgreSQL only: the connection string the server gets.</summary>
    public string? ConnectionString { get; }

    /// <summary>The server settings that select this database.</summary>
    public IEnumerable<KeyValuePair<string, string>> ServerEnvironment() => Kind == BenchDatabaseKind.PostgreSql
        ? [new("Signet__Database__Provider", "PostgreSQL"), new("ConnectionStrings__Signet", ConnectionString!)]
        : [];

    public static async Task<BenchDatabase> CreateAsync(BenchDatabaseKind kind, string? copyOf = null)
    {
        if (kind == BenchDatabaseKind.Sqlite)
        {
            return new BenchDatabase(kind, null, null);
        }

        var admin = AdminConnectionString() ?? throw new InvalidOperationException(
            "--database postgres needs SIGNET_BENCH_POSTGRES (or SIGNET_TEST_POSTGRES): a connection string of a role that may create databases.");
        var name = "signet_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await ExecuteAsync(admin, copyOf is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {copyOf}");
        return new BenchDatabase(kind, admin, name);
    }

    /// <summary>The connection string of the role that creates the bench databases, or null when none is set.</summary>
    public static string? AdminConnectionString() =>
        Environment.GetEnvironmentVariable("SIGNET_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("SIGNET_TEST_POSTGRES") is { Length: > 0 } test ? test
        : null;

    public async ValueTask DisposeAsync()
    {
        if (Name is not null)
        {
            await ExecuteAsync(_adminConnectionString!, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
