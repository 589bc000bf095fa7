using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>PostgreSQL LISTEN/NOTIFY on one channel. NOTIFY is sent in the announcing transaction, so a rolled-back
/// change is never announced; a listener that lost its connection asks everyone to resync once it is back.</summary>
internal sealed partial class PostgresClusterEvents(NpgsqlDataSource dataSource, ILogger<PostgresClusterEvents> logger)
    : ClusterEventsBase
{
    public const string Channel = "signet_cluster";

    // NOTIFY payloads must stay under 8000 bytes: 64-char keyids, 60 to a message.
    private const int MaxIdsPerMessage = 60;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    /// <summary>Tells this node's own announcements apart from other nodes'.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public override async Task AnnounceAsync(SignetDbContext db, ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        foreach (var message in ToMessages(clusterEvent))
        {
            var payload = JsonSerializer.Serialize(message, ClusterMessageJson.Default.ClusterMessage);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
        }
    }

    private IEnumerable<ClusterMessage> ToMessages(ClusterEvent clusterEvent)
    {
        switch (clusterEvent)
        {
            case CertificatesChanged changed:
                var ids = changed.KeyIds.Select(k => (Kind: 'k', Id: k)).Concat(changed.Udids.Select(u => (Kind: 'u', Id: u))).ToList();
                foreach (var chunk in ids.Chunk(MaxIdsPerMessage))
                {
                    yield return new ClusterMessage(NodeId, ClusterMessage.Certificates,
                        [.. chunk.Where(c => c.Kind == 'k').Select(c => c.Id)], [.. chunk.Where(c => c.Kind == 'u').Select(c => c.Id)]);
                }

                break;
            case SettingsChanged:
                yield return new ClusterMessage(NodeId, ClusterMessage.Settings, null, null);
                break;
            default:
                yield return new ClusterMessage(NodeId, ClusterMessage.Resync, null, null);
                break;
        }
    }

    private volatile bool _listening;

    /// <summary>True while the listening connection is up (readiness, <c>/healthz/ready</c>).</summary>
    public bool IsListening => _listening;

    /// <summary>Listens until <paramref name="stoppingToken"/> fires, reconnecting after any failure.</summary>
    public async Task ListenAsync(Action? listening, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever happened while nobody listened (start, reconnect) is unknown: start from the database.
                Dispatch(ResyncNeeded.Instance);
                _listening = true;
                listening?.Invoke();
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(IdleCheck, stoppingToken))
                    {
                        // A quiet channel or a dead connection: a round trip tells them apart.
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                _listening = false;
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                _listening = false;
                LogListenerFailed(e);
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(string payload)
    {
        ClusterMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(payload, ClusterMessageJson.Default.ClusterMessage);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            LogBadNotification(payload.Length);
            Dispatch(ResyncNeeded.Instance);
            return;
        }

        if (message.Node == NodeId)
        {
            return; // this node applied it before announcing
        }

        Dispatch(message.Kind switch
        {
            ClusterMessage.Certificates => new CertificatesChanged(message.KeyIds ?? [], message.Udids ?? []),
            ClusterMessage.Settings => SettingsChanged.Instance,
            _ => ResyncNeeded.Instance,
        });
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Cluster event listener lost its connection; reconnecting")]
    private partial void LogListenerFailed(Exception exception);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Unreadable cluster notification ({Length} chars); resyncing")]
    private partial void LogBadNotification(int length);
}

/// <summary>The NOTIFY payload.</summary>
internal sealed record ClusterMessage(string Node, string Kind, string[]? KeyIds, string[]? Udids)
{
    public const string Certificates = "certificates";
    public const string Settings = "settings";
    public const string Resync = "resync";
}

[JsonSerializable(typeof(ClusterMessage))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ClusterMessageJson : JsonSerializerContext;
