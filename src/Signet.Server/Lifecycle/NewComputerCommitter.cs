using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Observability;

namespace Signet.Server.Lifecycle;

/// <summary>A first enrollment of a UDID, its certificate already signed: the rows to write and the invitation to use.</summary>
internal sealed record NewComputer(string InvitationId, Computer Computer, IssuedCertificate Certificate, AuditEvent Audit);

/// <summary>What became of a <see cref="NewComputer"/>.</summary>
internal enum NewComputerResult
{
    /// <summary>Written: the computer is enrolled.</summary>
    Committed,

    /// <summary>The invitation had no use left (or expired) when it was to be taken; nothing was written.</summary>
    InvitationUsedUp,

    /// <summary>Not written: the UDID is enrolled meanwhile, or the batch failed. The caller decides on the full path.</summary>
    Retry,
}

/// <summary>Group commit of first enrollments (docs/lifecycle.md). The CA signs in the request, outside any write
/// transaction; the rows of every enrollment waiting meanwhile are then written in one transaction (one lock hold, one
/// fsync on SQLite), the invitation uses taken in it by conditional UPDATEs, so a use is only ever gone with its
/// computer. An enrollment the batch cannot decide (its UDID enrolled meanwhile, a failed write) is handed back for the
/// lifecycle's full, one-at-a-time path.</summary>
internal sealed partial class NewComputerCommitter(
    IServiceScopeFactory scopes,
    IDeviceKeyDirectory keys,
    IComputerDirectory computers,
    IClusterEvents cluster,
    TimeProvider time,
    SignetMetrics metrics,
    ILogger<NewComputerCommitter> logger) : BackgroundService
{
    /// <summary>At most this many enrollments share a transaction.</summary>
    public const int MaximumBatch = 64;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(NewComputer Enrollment, TaskCompletionSource<NewComputerResult> Done);

    /// <summary>Queues the enrollment for the next batch and waits for its outcome. Once queued it is written or not
    /// whatever happens to the caller, like any request whose response is lost.</summary>
    public Task<NewComputerResult> CommitAsync(NewComputer enrollment)
    {
        var pending = new Pending(enrollment, new TaskCompletionSource<NewComputerResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromResult(NewComputerResult.Retry);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaximumBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaximumBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await WriteAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is still queued goes the full path (or fails with the host).
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetResult(NewComputerResult.Retry);
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var decided = new NewComputerResult?[batch.Count];
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var udids = batch.Select(p => p.Enrollment.Computer.Udid).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            // In one order on every node, so two nodes' batches cannot wait for each other.
            foreach (var udid in udids)
            {
                await ClusterLocks.LockUdidAsync(db, udid, CancellationToken.None);
            }

            using var commands = new NewComputerCommands(db);
            var enrolled = await commands.EnrolledAsync(udids);
            var now = time.GetUtcNow();
            var written = new List<NewComputer>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var enrollment = batch[i].Enrollment;
                if (!enrolled.Add(enrollment.Computer.Udid))
                {
                    decided[i] = NewComputerResult.Retry;
                }
                else if (!await commands.TakeUseAsync(enrollment.InvitationId, now))
                {
                    enrolled.Remove(enrollment.Computer.Udid);
                    decided[i] = NewComputerResult.InvitationUsedUp;
                }
                else
                {
                    await commands.InsertAsync(enrollment);
                    written.Add(enrollment);
                    decided[i] = NewComputerResult.Committed;
                }
            }

            if (written.Count > 0)
            {
                await cluster.AnnounceAsync(db, new CertificatesChanged(
                    [.. written.Select(w => w.Certificate.Thumbprint)], [.. written.Select(w => w.Computer.Udid)]), CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            foreach (var enrollment in written)
            {
                keys.Invalidate(enrollment.Certificate.Thumbprint);
                computers.InvalidateUdid(enrollment.Computer.Udid);
                // Written without SaveChanges, so counted here from the same audit events the save interceptor counts.
                metrics.Audited(enrollment.Audit.Action);
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or NotSupportedException or TimeoutException)
        {
            // Nothing of the batch was committed (a use taken in it is given back with the rollback): each enrollment
            // goes the full path on its own.
            LogBatchFailed(logger, batch.Count, e);
            Array.Fill(decided, NewComputerResult.Retry);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(decided[i] ?? NewComputerResult.Retry);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "A group commit of {Count} enrollments failed; each is retried on its own.")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
