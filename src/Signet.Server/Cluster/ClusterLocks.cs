using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>Row-level serialisation the database cannot express as a constraint alone.</summary>
internal static class ClusterLocks
{
    /// <summary>Serialises enrollments of one UDID across nodes until the caller's transaction ends, so the second sees
    /// the first's computer and supersedes its certificate instead of racing it. SQLite has one writer already.</summary>
    public static async Task LockUdidAsync(SignetDbContext db, string udid, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"signet-udid:" + udid}, 0))", cancellationToken);
        }
    }
}
