using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Last contact and last signature outcome of a computer, not yet written.</summary>
internal sealed record PendingActivity(DateTimeOffset? LastContactAt, string? SignatureOutcome, DateTimeOffset? SignatureAt,
    string? LastContactAddress = null, DateTimeOffset? LastValidSignatureAt = null);

/// <summary>Collects per-request facts (last contact, signature outcome, refusals) in memory and writes them in
/// batches, so agent requests do not each write to the database.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "SemaphoreSlim holds nothing to release unless AvailableWaitHandle is used, and the last flush at shutdown may run after the container disposed its singletons.")]
internal sealed class DeviceActivityRecorder(IServiceScopeFactory scopes, TimeProvider time, ILogger<DeviceActivityRecorder> logger) : IBufferedWrites
{
    private readonly ConcurrentDictionary<string, PendingActivity> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RefusalKey, int> _refusals = new();

    // Audit rows already written for a (subject, code, minute), so later batches in that minute add to the count.
    private readonly Dictionary<RefusalKey, (long Id, int Count)> _refusalRows = [];
    private readonly SemaphoreSlim _flushLock = new(1, 1);

    private readonly record struct RefusalKey(string Subject, string Code, string Source, DateTimeOffset Minute);

    public void RecordContact(string computerId, DateTimeOffset at, string? address = null) =>
        _pending.AddOrUpdate(computerId, _ => new PendingActivity(at, null, null, address),
            (_, p) => p with { LastContactAt = at, LastContactAddress = address ?? p.LastContactAddress });

    public void RecordSignature(string computerId, string outcome, DateTimeOffset at)
    {
        var valid = outcome == DeviceSignatureHandler.ValidOutcome ? at : (DateTimeOffset?)null;
        _pending.AddOrUpdate(computerId, _ => new PendingActivity(null, outcome, at, LastValidSignatureAt: valid),
            (_, p) => p with { SignatureOutcome = outcome, SignatureAt = at, LastValidSignatureAt = valid ?? p.LastValidSignatureAt });
    }

    /// <summary>Counts a refused request; the audit log gets one row per subject, code, source address and minute.
    /// The subject is the computer the request named (by UDID or keyid), else the source address.</summary>
    public void RecordRefusal(string subject, string code, string source, DateTimeOffset at)
    {
        var minute = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        _refusals.AddOrUpdate(new RefusalKey(subject, code, source, minute), 1, (_, n) => n + 1);
    }

    /// <summary>Writes everything pending. Readers that must see current values call this first.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty && _refusals.IsEmpty)
        {
            return;
        }

        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            var activity = Take(_pending);
            var refusals = Take(_refusals);
            if (activity.Count == 0 && refusals.Count == 0)
            {
                return;
            }

            try
            {
                await WriteAsync(activity, refusals, cancellationToken);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or ObjectDisposedException or System.Data.Common.DbException)
            {
                logger.ActivityFlushFailed(e);
                foreach (var (id, p) in activity)
                {
                    _pending.AddOrUpdate(id, p, (_, newer) => Merge(p, newer));
                }

                foreach (var (key, n) in refusals)
                {
                    _refusals.AddOrUpdate(key, n, (_, m) => m + n);
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task WriteAsync(List<KeyValuePair<string, PendingActivity>> activity, List<KeyValuePair<RefusalKey, int>> refusals,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The same order on every node, so two nodes flushing together cannot deadlock on each other's rows.
        foreach (var (computerId, p) in activity.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            await db.Computers.Where(c => c.Id == computerId).ExecuteUpdateAsync(setters =>
            {
                if (p.LastContactAt is { } contact)
                {
                    // Another node may have written a later contact already: never move it back.
                    setters.SetProperty(c => c.LastContactAt, c => c.LastContactAt != null && c.LastContactAt > contact ? c.LastContactAt : contact);
                }

                if (p.LastContactAddress is { } address)
                {
                    setters.SetProperty(c => c.LastContactAddress, address);
                }

                if (p.SignatureOutcome is { } outcome)
                {
                    setters.SetProperty(c => c.LastSignatureOutcome, outcome);
                    setters.SetProperty(c => c.LastSignatureAt, p.SignatureAt);
                }

                if (p.LastValidSignatureAt is { } valid)
                {
                    setters.SetProperty(c => c.LastValidSignatureAt, c => c.LastValidSignatureAt != null && c.LastValidSignatureAt > valid ? c.LastValidSignatureAt : valid);
                }
            }, cancellationToken);
        }

        var written = new List<(RefusalKey Key, AuditEvent Row, int Count)>();
        foreach (var (key, count) in refusals)
        {
            if (_refusalRows.TryGetValue(key, out var existing))
            {
                var total = existing.Count + count;
                await db.AuditEvents.Where(e => e.Id == existing.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, Details(key, total)), cancellationToken);
                _refusalRows[key] = (existing.Id, total);
            }
            else
            {
                var row = new AuditEvent
                {
                    At = key.Minute,
                    Actor = "agent",
                    Action = AuditActions.RequestsRefused,
                    Subject = key.Subject,
                    Details = Details(key, count),
                };
                db.AuditEvents.Add(row);
                written.Add((key, row, count));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var (key, row, count) in written)
        {
            _refusalRows[key] = (row.Id, count);
        }

        var horizon = time.GetUtcNow().AddMinutes(-2);
        foreach (var key in _refusalRows.Keys.Where(k => k.Minute < horizon).ToList())
        {
            _refusalRows.Remove(key);
        }
    }

    private static string Details(RefusalKey key, int count) => $"code={key.Code}; count={count}; minute={key.Minute:yyyy-MM-ddTHH:mm}Z; source={key.Source}";

    private static List<KeyValuePair<TKey, TValue>> Take<TKey, TValue>(ConcurrentDictionary<TKey, TValue> source) where TKey : notnull
    {
        var taken = new List<KeyValuePair<TKey, TValue>>();
        foreach (var key in source.Keys)
        {
            if (source.TryRemove(key, out var value))
            {
                taken.Add(new(key, value));
            }
        }

        return taken;
    }

    private static PendingActivity Merge(PendingActivity older, PendingActivity newer) => new(
        newer.LastContactAt ?? older.LastContactAt,
        newer.SignatureOutcome ?? older.SignatureOutcome,
        newer.SignatureOutcome is null ? older.SignatureAt : newer.SignatureAt,
        newer.LastContactAddress ?? older.LastContactAddress,
        newer.LastValidSignatureAt ?? older.LastValidSignatureAt);
}
