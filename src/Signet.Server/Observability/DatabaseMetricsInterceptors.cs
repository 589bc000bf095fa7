using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Signet.Server.Audit;

namespace Signet.Server.Observability;

/// <summary>How long each database command took (<c>signet.database.duration</c>).</summary>
internal sealed class DatabaseLatencyInterceptor(SignetMetrics metrics) : DbCommandInterceptor
{
    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, failed: false);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        metrics.DatabaseCommand(eventData.Duration, failed: false);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, failed: false);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, failed: false);
        return ValueTask.FromResult(result);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, failed: true);
        return Task.CompletedTask;
    }
}

/// <summary>Lifecycle counters from the audit events a save writes: every certificate change is audited with the
/// change itself (docs/lifecycle.md), so a change that failed to save is never counted.</summary>
internal sealed class LifecycleMetricsInterceptor(SignetMetrics metrics) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<string>> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            _pending.AddOrUpdate(context, [.. context.ChangeTracker.Entries<AuditEvent>()
                .Where(e => e.State == EntityState.Added).Select(e => e.Entity.Action)]);
        }

        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.TryGetValue(context, out var actions))
        {
            _pending.Remove(context);
            foreach (var action in actions)
            {
                metrics.Audited(action);
            }
        }

        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }

        return Task.CompletedTask;
    }
}
