using Npgsql;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Cluster;

/// <summary>The replay cache shared by every node: a nonce accepted anywhere is refused everywhere. A nonce this node
/// has already seen is refused from memory; a new one costs one INSERT ... ON CONFLICT round trip.</summary>
internal sealed partial class PostgresNonceStore(MemoryNonceStore local, NpgsqlDataSource dataSource, TimeProvider time,
    ILogger<PostgresNonceStore> logger) : INonceStore
{
    // Inserts the nonce, or takes over a row whose time is up (such a replay would fail the skew check anyway).
    private const string RecordSql =
        $"""
        INSERT INTO "{SeenNonce.Table}" ("Nonce", "ExpiresAt") VALUES ($1, $2)
        ON CONFLICT ("Nonce") DO UPDATE SET "ExpiresAt" = EXCLUDED."ExpiresAt" WHERE "{SeenNonce.Table}"."ExpiresAt" <= $3
        """;

    public async ValueTask<bool> TryRecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (!await local.TryRecordAsync(nonce, expiresAt, cancellationToken))
        {
            return false;
        }

        try
        {
            await using var command = dataSource.CreateCommand(RecordSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = nonce });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Without the shared cache a replay on another node cannot be ruled out: refuse rather than accept.
            LogRecordFailed(e);
            return false;
        }
    }

    /// <summary>Deletes expired rows; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""DELETE FROM "{SeenNonce.Table}" WHERE "ExpiresAt" <= $1""");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 604, Level = LogLevel.Error, Message = "Shared replay cache unavailable; refusing the request")]
    private partial void LogRecordFailed(Exception exception);
}

/// <summary>Sweeps the shared replay cache now and then; every node does, which is harmless.</summary>
internal sealed partial class NonceSweepService(PostgresNonceStore store, Microsoft.Extensions.Options.IOptions<ClusterOptions> options,
    TimeProvider time, ILogger<NonceSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.NonceSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    LogSweepFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Sweeping the shared replay cache failed")]
    private partial void LogSweepFailed(Exception exception);
}
