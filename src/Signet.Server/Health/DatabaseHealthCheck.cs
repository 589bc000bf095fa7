using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Signet.Server.Data;

namespace Signet.Server.Health;

/// <summary>Ready only when the database answers a query on a connection opened for the check: a pooled connection
/// can keep a SQLite file open after it was made unreadable or moved, and can hide that PostgreSQL refuses new ones.</summary>
internal sealed partial class DatabaseHealthCheck(IServiceProvider services, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = Open();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """SELECT COUNT(*) FROM "__EFMigrationsHistory" """;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or TimeoutException or OperationCanceledException)
        {
            LogUnhealthy(e.GetType().Name, e.Message);
            return HealthCheckResult.Unhealthy("The database does not answer; the server's log says why.");
        }
    }

    private DbConnection Open()
    {
        if (services.GetService<NpgsqlDataSource>() is { } postgres)
        {
            return postgres.CreateConnection();
        }

        var file = services.GetRequiredService<SqliteDatabaseFile>();
        return new SqliteConnection(new SqliteConnectionStringBuilder(file.ConnectionString)
        {
            Pooling = false,
            // A missing file is an outage, not an empty database to create.
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 5,
        }.ToString());
    }

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Readiness: the database does not answer ({ErrorType}: {Error})")]
    private partial void LogUnhealthy(string errorType, string error);
}
