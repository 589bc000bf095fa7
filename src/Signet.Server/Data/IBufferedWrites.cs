namespace Signet.Server.Data;

/// <summary>Writes a feature holds in memory and saves in batches (last contacts, signature outcomes, refusal summaries).
/// A read that must show them (the audit log, the readiness view) flushes every registered buffer first.</summary>
internal interface IBufferedWrites
{
    /// <summary>Saves what is held now.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Flushes each buffer in turn.</summary>
    static async Task FlushAllAsync(IEnumerable<IBufferedWrites> buffers, CancellationToken cancellationToken)
    {
        foreach (var buffer in buffers)
        {
            await buffer.FlushAsync(cancellationToken);
        }
    }
}
