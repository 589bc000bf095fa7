using Microsoft.Extensions.DependencyInjection.Extensions;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Cluster;

internal static class ClusterExtensions
{
    /// <summary>Cluster events and, on PostgreSQL, the shared replay cache. Call after <c>AddDeviceAuthentication</c>.</summary>
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

        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgreSql)
        {
            builder.Services.AddSingleton<PostgresClusterEvents>();
            builder.Services.AddSingleton<IClusterEvents>(services => services.GetRequiredService<PostgresClusterEvents>());
            builder.Services.AddSingleton<MemoryNonceStore>();
            builder.Services.AddSingleton<PostgresNonceStore>();
            builder.Services.RemoveAll<INonceStore>();
            builder.Services.AddSingleton<INonceStore>(services => services.GetRequiredService<PostgresNonceStore>());
            builder.Services.AddHostedService<NonceSweepService>();
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
