using System.Reflection;
using System.Security.Cryptography;
using Npgsql;
using Xunit.Sdk;

namespace Signet.Cluster.Tests;

/// <summary>A fact that needs PostgreSQL: skipped with the reason when SIGNET_TEST_POSTGRES is unset, except under
/// CI=true, where it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ClusterDatabase.AdminConnectionString is null && !ClusterDatabase.IsCi)
        {
            Skip = "PostgreSQL not configured: set SIGNET_TEST_POSTGRES to a connection string of a role that may create databases.";
        }
    }
}

/// <summary>A uniquely named PostgreSQL database for one test, dropped afterwards.</summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    public static readonly string? AdminConnectionString = Environment.GetEnvironmentVariable("SIGNET_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    public static readonly bool IsCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private readonly string _name;

    private ClusterDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ClusterDatabase> CreateAsync()
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(
            "CI=true but SIGNET_TEST_POSTGRES is not set: the cluster tests must run in CI.");
        var name = "signet_cluster_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new ClusterDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<HashSet<string>> StringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
