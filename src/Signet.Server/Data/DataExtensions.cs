using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Signet.Server.Hosting;

namespace Signet.Server.Data;

internal static class DataExtensions
{
    public const string ConnectionStringName = "Signet";

    /// <summary>Registers the provider-specific context (docs/architecture.md) and exposes it as <see cref="SignetDbContext"/>.
    /// Contexts are pooled: a request takes a reset one instead of resolving its services and options again.</summary>
    public static WebApplicationBuilder AddSignetData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.IsSqlite || o.IsPostgreSql, "Signet:Database:Provider must be 'Sqlite' or 'PostgreSQL'.")
            .Validate(o => o.BusyTimeoutSeconds is >= 1 and <= 600, "Signet:Database:BusyTimeoutSeconds must be 1..600.")
            .ValidateOnStart();

        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgreSql)
        {
            var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new StartRefusedException(ServerExitCodes.Configuration,
                    "Signet:Database:Provider is PostgreSQL: set ConnectionStrings:Signet (environment ConnectionStrings__Signet).");
            }

            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                throw new StartRefusedException(ServerExitCodes.Configuration,
                    $"ConnectionStrings:Signet is not a valid PostgreSQL connection string ({e.Message}); set it as Host=...;Database=...;Username=...;Password=...", e);
            }

            // One data source per node: the EF context, the replay cache and the cluster listener share its pool.
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            builder.Services.AddDbContextPool<PostgresSignetDbContext>((services, options) =>
                Instrumented(options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()), services));
            builder.Services.AddScoped<SignetDbContext>(services => services.GetRequiredService<PostgresSignetDbContext>());
            return builder;
        }

        builder.Services.AddSingleton<SqliteDatabaseFile>();
        builder.Services.AddDbContextPool<SqliteSignetDbContext>((services, options) =>
            Instrumented(options.UseSqlite(services.GetRequiredService<SqliteDatabaseFile>().ConnectionString), services));
        builder.Services.AddScoped<SignetDbContext>(services => services.GetRequiredService<SqliteSignetDbContext>());
        return builder;
    }

    /// <summary>The interceptors other features registered (Observability/: database latency and lifecycle counters).</summary>
    private static DbContextOptionsBuilder Instrumented(DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());

    public static string SqliteConnectionString(string dataDirectory, int busyTimeoutSeconds) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, DataDirectory.DatabaseFileName),
        DefaultTimeout = busyTimeoutSeconds,
        Pooling = true,
    }.ToString();

    /// <summary>Applies pending migrations. On SQLite, WAL lets readers run alongside the one writer; on PostgreSQL,
    /// EF's migration lock lets several nodes start at once.</summary>
    public static async Task MigrateSignetDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // EF's own lock is held per migration, so a node that waited for it could re-apply a migration the other node
        // had planned too; one session lock around the whole run makes later nodes find nothing left to do.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtextextended('signet-migrations', 0))", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(hashtextextended('signet-migrations', 0))", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}
