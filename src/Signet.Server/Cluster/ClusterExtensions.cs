using Signet.Server.Data;

namespace Signet.Server.Cluster;

internal static class ClusterExtensions
{
    /// <summary>Cluster events: announced through PostgreSQL when the database is shared, nobody to tell on SQLite. Each
    /// feature that keeps state in memory registers its own <see cref="IClusterListener"/>.</summary>
    public static WebApplicationBuilder AddSignetCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>()
            .BindConfiguration(ClusterOptions.Section)
            .Validate(o => o.ResyncInterval >= TimeSpan.FromSeconds(1) && o.ResyncInterval <= TimeSpan.FromMinutes(10),
                "Signet:Cluster:ResyncInterval must be 1 second..10 minutes.")
            .Validate(o => o.NonceSweepInterval >= TimeSpan.FromSeconds(1), "Signet:Cluster:NonceSweepInterval must be at least 1 second.")
            .Validate(o => o.ReplayCacheTimeout >= TimeSpan.FromMilliseconds(100) && o.ReplayCacheTimeout <= TimeSpan.FromSeconds(30),
                "Signet:Cluster:ReplayCacheTimeout must be 100 ms..30 seconds.")
            .ValidateOnStart();

        if (DatabaseOptions.From(builder.Configuration).IsPostgreSql)
        {
            builder.Services.AddSingleton<PostgresClusterEvents>();
            builder.Services.AddSingleton<IClusterEvents>(services => services.GetRequiredService<PostgresClusterEvents>());
        }
        else
        {
            builder.Services.AddSingleton<IClusterEvents, LocalClusterEvents>();
        }

        builder.Services.AddSingleton<ClusterSync>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ClusterSync>());
        return builder;
    }
}
