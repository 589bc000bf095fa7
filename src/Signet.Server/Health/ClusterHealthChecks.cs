using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Signet.Server.Cluster;
using Signet.Server.Data;

namespace Signet.Server.Health;

/// <summary>Clustered only: the shared replay cache answers within <see cref="ClusterOptions.ReplayCacheTimeout"/>
/// (without it every signed request is refused <c>service-unavailable</c>).</summary>
internal sealed class ReplayCacheHealthCheck(NpgsqlDataSource dataSource, IOptions<ClusterOptions> options) : IHealthCheck
{
    public const string Name = "replay-cache";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReplayCacheTimeout);
        try
        {
            await using var command = dataSource.CreateCommand($"""SELECT 1 FROM "{SeenNonce.Table}" LIMIT 1""");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("The shared replay cache answers.");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The shared replay cache does not answer: signed requests are refused service-unavailable.");
        }
    }
}

/// <summary>Clustered only: this node listens for the other nodes' revocations and setting changes.</summary>
internal sealed class ClusterListenerHealthCheck(PostgresClusterEvents events) : IHealthCheck
{
    public const string Name = "cluster-events";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(events.IsListening
            ? HealthCheckResult.Healthy("Listening for other nodes' events.")
            : HealthCheckResult.Unhealthy("Not listening for other nodes' events: revocations made elsewhere may reach this node late."));
}
