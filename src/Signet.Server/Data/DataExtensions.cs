using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Hosting;

namespace Signet.Server.Data;

internal static class DataExtensions
{
    /// <summary>Registers the provider-specific context and exposes it as <see cref="SignetDbContext"/>.</summary>
    public static WebApplicationBuilder AddSignetData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Validate(o => string.Equals(o.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase),
                "Signet:Database:Provider must be 'Sqlite' (PostgreSQL is not supported yet).")
            .Validate(o => o.BusyTimeoutSeconds is >= 1 and <= 600, "Signet:Database:BusyTimeoutSeconds must be 1..600.")
            .ValidateOnStart();

        builder.Services.AddDbContext<SqliteSignetDbContext>((services, options) =>
        {
            var data = services.GetRequiredService<DataDirectory>();
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var connection = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(data.Path, "signet.db"),
                DefaultTimeout = database.BusyTimeoutSeconds,
                Pooling = true,
            };
            options.UseSqlite(connection.ToString());
        });
        builder.Services.AddScoped<SignetDbContext>(services => services.GetRequiredService<SqliteSignetDbContext>());
        return builder;
    }

    /// <summary>Applies pending migrations; WAL lets readers run alongside the one writer.</summary>
    public static async Task MigrateSignetDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
