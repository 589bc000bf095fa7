using Npgsql;
using Signet.Server.Data;
using Signet.Server.Cluster;

namespace Signet.Server.DeviceAuthentication;

/// <summary>The replay cache shared by every node: a nonce accepted anywhere is refused everywhere. A nonce this node
/// has already seen is refused from memory; a new one costs one INSERT ... ON CONFLICT round trip. When the database
/// cannot answer within <see cref="ClusterOptions.ReplayCacheTimeout"/>, the answer is
/// <see cref="NonceOutcome.Unavailable"/>: a replay on another node cannot be ruled out, but neither is there one.</summary>
internal sealed partial class PostgresNonceStore(MemoryNonceStore local, NpgsqlDataSource dataSource, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<ClusterOptions> options, ILogger<PostgresNonceStore> logger) : INonceStore
{
    // Inserts the nonce, or takes over a row whose time is up (such a replay would fail the skew check anyway).
    private const string RecordSql =
        $"""
        INSERT INTO "{SeenNonce.Table}" ("Nonce", "ExpiresAt") VALUES ($1, $2)
        ON CONFLICT ("Nonce") DO UPDATE SET "ExpiresAt" = EXCLUDED."ExpiresAt" WHERE "{SeenNonce.Table}"."ExpiresAt" <= $3
        """;

    // The key column's length (SeenNonce); longer canonical nonces are stored by their SHA-256, which base64url
    // cannot spell ('~' is outside its alphabet), so the two kinds of key never meet.
    private const int MaximumKeyLength = 256;

    private int _failing;

    public async ValueTask<NonceOutcome> RecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var locally = await local.RecordAsync(nonce, expiresAt, cancellationToken);
        if (locally != NonceOutcome.Recorded)
        {
            return locally;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReplayCacheTimeout);
        try
        {
            await using var command = dataSource.CreateCommand(RecordSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = KeyOf(nonce) });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
            var recorded = await command.ExecuteNonQueryAsync(timeout.Token) == 1;
            if (Interlocked.Exchange(ref _failing, 0) != 0)
            {
                LogReachableAgain();
            }

            return recorded ? NonceOutcome.Recorded : NonceOutcome.Replayed;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The request is refused, so its nonce was not used: forget it here too, or the agent's retry after the
            // outage would be taken for a replay by this node.
            local.Forget(nonce, expiresAt);
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogUnavailable(e.GetType().Name, e.Message);
                // Idle connections of the pool were most likely broken too: drop them now, so that once the database
                // is back the first requests do not each meet one.
                dataSource.Clear();
            }

            return NonceOutcome.Unavailable;
        }
    }

    private static string KeyOf(string nonce) => nonce.Length <= MaximumKeyLength
        ? nonce
        : "~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(nonce)));

    /// <summary>Deletes expired rows; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""DELETE FROM "{SeenNonce.Table}" WHERE "ExpiresAt" <= $1""");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Once per outage, without a stack trace: each refused request is logged and counted by the DeviceSignature scheme.
    [LoggerMessage(EventId = 604, Level = LogLevel.Warning,
        Message = "Shared replay cache unavailable ({ErrorType}: {Error}); signed agent requests are refused service-unavailable until it answers again")]
    private partial void LogUnavailable(string errorType, string error);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Shared replay cache reachable again")]
    private partial void LogReachableAgain();
}
