using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Data;

namespace Signet.Server.Settings;

/// <summary>The check-in interval in force, in memory, so the agent API's answers (check-in, enrollment) never read it
/// from the database. Loaded at start, replaced by a save on this node, and re-read when another node announces a
/// settings change (and on the cluster's periodic resync).</summary>
internal sealed class CheckInSettingsSnapshot(IServiceScopeFactory scopes, IOptions<AgentOptions> configured)
{
    // Null while no administrator has saved the Check-In page: the configured interval applies.
    private volatile CheckInSettings? _saved;

    public CheckInSettings Current => _saved ?? new CheckInSettings(configured.Value.CheckInIntervalSeconds);

    public void Set(CheckInSettings saved) => _saved = saved;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var saved = await db.CheckInSettings.AsNoTracking().Select(s => (int?)s.CheckInIntervalSeconds).FirstOrDefaultAsync(cancellationToken);
        _saved = saved is { } seconds ? new CheckInSettings(seconds) : null;
    }
}
