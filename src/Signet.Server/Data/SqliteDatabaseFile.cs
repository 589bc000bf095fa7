using Microsoft.Extensions.Options;
using Signet.Server.Hosting;

namespace Signet.Server.Data;

/// <summary>The SQLite database in the data folder, made private (0600) before SQLite first opens it. SQLite creates
/// its -wal, -shm and -journal files with the database file's mode, so they are private too, whatever the umask
/// (SQLite itself would create the database 0644).</summary>
internal sealed class SqliteDatabaseFile
{
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    public SqliteDatabaseFile(DataDirectory data, IOptions<DatabaseOptions> options)
    {
        var path = data.File(DataDirectory.DatabaseFileName);
        SecureFile.MakePrivate(path, createEmpty: true);
        // Files an earlier version left 0644 are tightened; new ones inherit 0600 from the database file.
        foreach (var suffix in CompanionSuffixes)
        {
            SecureFile.MakePrivate(path + suffix);
        }

        ConnectionString = DataExtensions.SqliteConnectionString(data.Path, options.Value.BusyTimeoutSeconds);
    }

    public string ConnectionString { get; }
}
