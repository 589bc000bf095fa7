using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Signet.Server.Tests.Infrastructure;
using Xunit.Sdk;

namespace Signet.Server.Tests.Storage;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>A theory row for SQLite: always runs.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[DatabaseKind.Sqlite]];
}

/// <summary>A theory row for PostgreSQL: runs when SIGNET_TEST_POSTGRES is set; skipped with the reason otherwise,
/// except under CI=true, where the row runs and fails because the database CI must provide is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public override string? Skip
    {
        get => TestDatabase.PostgresConnectionString is null && !TestDatabase.IsCi
            ? "PostgreSQL not configured: set SIGNET_TEST_POSTGRES to a connection string of a role that may create databases."
            : null;
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[DatabaseKind.PostgreSql]];
}

/// <summary>One database for one test: a temporary SQLite data folder, or a uniquely named PostgreSQL database
/// created from SIGNET_TEST_POSTGRES and dropped afterwards. Nodes made from it share the database and master key.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly string? PostgresConnectionString = Environment.GetEnvironmentVariable("SIGNET_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    public static readonly bool IsCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private readonly string? _databaseName;

    private TestDatabase(DatabaseKind kind, string? connectionString, string? databaseName)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _databaseName = databaseName;
        DataDirectory = Directory.CreateTempSubdirectory("signet-storage-tests-").FullName;
    }

    public DatabaseKind Kind { get; }

    /// <summary>PostgreSQL only: the test database.</summary>
    public string? ConnectionString { get; }

    /// <summary>SQLite: the shared data folder (PostgreSQL nodes get their own folders).</summary>
    public string DataDirectory { get; }

    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            return new TestDatabase(kind, null, null);
        }

        var admin = PostgresConnectionString ?? throw new InvalidOperationException(
            "CI=true but SIGNET_TEST_POSTGRES is not set: the PostgreSQL storage tests must run in CI.");
        var name = "signet_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(kind, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, name);
    }

    /// <summary>A server node over this database.</summary>
    public SignetFactory NewNode(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
            ["Signet:MasterKey"] = MasterKey,
        };
        if (Kind == DatabaseKind.PostgreSql)
        {
            settings["Signet:Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Signet"] = ConnectionString;
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new SignetFactory(Kind == DatabaseKind.Sqlite ? DataDirectory : null, Time, settings);
    }

    /// <summary>PostgreSQL only: an outage of this database and its end. Unreachable, it refuses new connections
    /// and its open ones are ended, as when the shared database goes down; the cluster's other databases (other
    /// tests) are untouched.</summary>
    public async Task SetReachableAsync(bool reachable)
    {
        if (_databaseName is null || PostgresConnectionString is null)
        {
            throw new InvalidOperationException("Only a PostgreSQL test database can be made unreachable.");
        }

        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        await using (var allow = new NpgsqlCommand($"ALTER DATABASE {_databaseName} WITH ALLOW_CONNECTIONS {(reachable ? "true" : "false")}", connection))
        {
            await allow.ExecuteNonQueryAsync();
        }

        if (!reachable)
        {
            await using var end = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
            end.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _databaseName });
            await end.ExecuteScalarAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        TempFolder.TryDelete(DataDirectory);
        if (_databaseName is null || PostgresConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
