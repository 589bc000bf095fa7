using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.CertificateAuthority;
using Signet.Server.Hosting;

namespace Signet.Server.Data;

/// <summary><c>signet-server backup --to FILE</c> and <c>signet-server restore --from FILE</c> for a SQLite
/// installation (docs/operations.md). A backup is one SQLite file made with SQLite's online backup, so the server may
/// keep running; it is integrity-checked before it is put in place. It does not hold the master key unless asked to:
/// the CA key inside is encrypted under it, and the two should not travel together.</summary>
internal static class BackupCommand
{
    public const string Verb = "backup";
    public const string RestoreVerb = "restore";
    public const string MasterKeySuffix = ".master.key";

    public static async Task<int> RunBackupAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (target, rest) = CommandConfiguration.Take(args[1..], "--to");
        var includeKey = rest.Contains("--include-master-key");
        rest = [.. rest.Where(a => a != "--include-master-key")];
        if (rest.Contains("--help") || target is null)
        {
            (target is null && !rest.Contains("--help") ? error : output).WriteLine(
                "usage: signet-server backup --to FILE [--include-master-key] [--Signet:DataDirectory=FOLDER]\n" +
                "Copies the running or stopped server's SQLite database to FILE (mode 0600) and checks its integrity.");
            return rest.Contains("--help") ? ServerExitCodes.Succeeded : ServerExitCodes.Usage;
        }

        var configuration = CommandConfiguration.Build(rest);
        if (CommandConfiguration.Database(configuration).IsPostgreSql)
        {
            error.WriteLine("This installation keeps its state in PostgreSQL: back it up with pg_dump (docs/operations.md), and keep the master key apart.");
            return ServerExitCodes.Usage;
        }

        var hosting = CommandConfiguration.Hosting(configuration);
        var source = Path.Combine(CommandConfiguration.DataDirectory(hosting), DataDirectory.DatabaseFileName);
        target = Path.GetFullPath(target);
        if (!File.Exists(source))
        {
            error.WriteLine($"No SQLite database at {source}: set Signet:DataDirectory (Signet__DataDirectory) to the server's data folder.");
            return ServerExitCodes.DataFolder;
        }

        if (File.Exists(target) || (includeKey && File.Exists(target + MasterKeySuffix)))
        {
            error.WriteLine($"{target} already exists: choose a new file name (a backup never overwrites one).");
            return ServerExitCodes.Usage;
        }

        var masterKey = includeKey ? ReadMasterKey(hosting, CommandConfiguration.DataDirectory(hosting)) : null;
        if (includeKey && masterKey is null)
        {
            error.WriteLine($"--include-master-key: no master key in Signet:MasterKey or {Path.Combine(CommandConfiguration.DataDirectory(hosting), MasterKey.FileName)}.");
            return ServerExitCodes.Configuration;
        }

        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            // ReadWrite: a reader of a database in WAL mode takes part in its locking.
            await CopyAsync(source, SqliteOpenMode.ReadWrite, temporary);

            if (await IntegrityAsync(temporary) is { } damage)
            {
                error.WriteLine($"The copy failed SQLite's integrity check ({damage}); nothing was written. Check the disk and the database with `sqlite3 {source} 'PRAGMA integrity_check'`.");
                return ServerExitCodes.IntegrityCheck;
            }

            var (computers, certificates) = await CountAsync(temporary);
            File.Move(temporary, target, overwrite: false);
            output.WriteLine($"Backed up {computers} computers and {certificates} certificates to {target} (integrity check: ok).");
            if (masterKey is not null)
            {
                SecureFile.TryCreate(target + MasterKeySuffix, System.Text.Encoding.ASCII.GetBytes(masterKey + "\n"));
                output.WriteLine($"The master key is in {target}{MasterKeySuffix} (mode 0600): whoever has both files has the CA's private key. Keep them apart.");
            }
            else
            {
                error.WriteLine(
                    "MASTER KEY NOT IN THIS BACKUP. The CA's private key in it is encrypted under the master key (" +
                    (string.IsNullOrWhiteSpace(hosting.MasterKey) ? Path.Combine(CommandConfiguration.DataDirectory(hosting), MasterKey.FileName) : "Signet:MasterKey") +
                    "). Without that key this backup cannot be restored and every computer must re-enroll: keep a copy of it, apart from the backup.");
            }

            return ServerExitCodes.Succeeded;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or StartRefusedException)
        {
            error.WriteLine($"Backup failed, nothing was written: {e.Message}");
            return e is SqliteException ? ServerExitCodes.Database : ServerExitCodes.DataFolder;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(temporary);
        }
    }

    public static async Task<int> RunRestoreAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (backup, afterFrom) = CommandConfiguration.Take(args[1..], "--from");
        var (keyFile, rest) = CommandConfiguration.Take(afterFrom, "--master-key");
        if (rest.Contains("--help") || backup is null)
        {
            (rest.Contains("--help") ? output : error).WriteLine(
                "usage: signet-server restore --from FILE [--master-key KEYFILE] [--Signet:DataDirectory=FOLDER]\n" +
                "Puts a backup into an empty data folder; the master key comes from KEYFILE or Signet:MasterKey. Stop the server first.");
            return rest.Contains("--help") ? ServerExitCodes.Succeeded : ServerExitCodes.Usage;
        }

        var configuration = CommandConfiguration.Build(rest);
        var hosting = CommandConfiguration.Hosting(configuration);
        var folder = CommandConfiguration.DataDirectory(hosting);
        backup = Path.GetFullPath(backup);
        if (!File.Exists(backup))
        {
            error.WriteLine($"No backup at {backup}: name the file `signet-server backup --to` wrote.");
            return ServerExitCodes.Usage;
        }

        if (File.Exists(Path.Combine(folder, DataDirectory.DatabaseFileName)) || File.Exists(Path.Combine(folder, MasterKey.FileName)))
        {
            error.WriteLine($"The data folder {folder} already holds an installation: restore only into an empty folder (stop the server, move the folder aside, or set Signet:DataDirectory).");
            return ServerExitCodes.DataFolder;
        }

        string? keyText;
        try
        {
            keyText = keyFile is not null ? await File.ReadAllTextAsync(keyFile) : hosting.MasterKey;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot read the master key {keyFile} ({e.Message}).");
            return ServerExitCodes.Configuration;
        }

        if (string.IsNullOrWhiteSpace(keyText) || MasterKey.FromText(keyText) is not { } masterKey)
        {
            error.WriteLine("Restore needs the master key the backup was made under: pass --master-key <its master.key> or set Signet:MasterKey (Signet__MasterKey).");
            return ServerExitCodes.Configuration;
        }

        try
        {
            if (await IntegrityAsync(backup) is { } damage)
            {
                error.WriteLine($"{backup} failed SQLite's integrity check ({damage}); nothing was restored.");
                return ServerExitCodes.IntegrityCheck;
            }

            if (!await CaKeyOpensAsync(backup, masterKey))
            {
                error.WriteLine("This master key does not decrypt the CA key in the backup: give the master.key of the installation the backup was made from.");
                return ServerExitCodes.Configuration;
            }

            var data = new DataDirectory(Options.Create(hosting), new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Directory.GetCurrentDirectory() });
            var temporary = data.File($"{DataDirectory.DatabaseFileName}.{Guid.NewGuid():N}.tmp");
            try
            {
                await CopyAsync(backup, SqliteOpenMode.ReadOnly, temporary);
                if (keyFile is not null && string.IsNullOrWhiteSpace(hosting.MasterKey))
                {
                    SecureFile.TryCreate(data.File(MasterKey.FileName), System.Text.Encoding.ASCII.GetBytes(keyText.Trim() + "\n"));
                }

                File.Move(temporary, data.File(DataDirectory.DatabaseFileName), overwrite: false);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                File.Delete(temporary);
            }

            var (computers, certificates) = await CountAsync(data.File(DataDirectory.DatabaseFileName));
            output.WriteLine($"Restored {computers} computers and {certificates} certificates into {data.Path}. Start the server on it " +
                "(an older backup's database is migrated on start); the CA and its fingerprint are the backup's.");
            return ServerExitCodes.Succeeded;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Restore failed: {e.Message}");
            return e is SqliteException ? ServerExitCodes.Database : ServerExitCodes.DataFolder;
        }
        catch (StartRefusedException e)
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    private static string? ReadMasterKey(HostingOptions hosting, string folder)
    {
        if (!string.IsNullOrWhiteSpace(hosting.MasterKey))
        {
            return hosting.MasterKey.Trim();
        }

        var path = Path.Combine(folder, MasterKey.FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode) => new(new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString());

    /// <summary>Null when <c>PRAGMA integrity_check</c> says ok, else its first complaint.</summary>
    private static async Task<string?> IntegrityAsync(string path)
    {
        await using var connection = Open(path, SqliteOpenMode.ReadOnly);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check(1);";
        var answer = (await command.ExecuteScalarAsync()) as string;
        return answer == "ok" ? null : answer ?? "no answer";
    }

    private static async Task<bool> CaKeyOpensAsync(string path, MasterKey masterKey)
    {
        await using var db = Context(path);
        var ca = await db.CertificateAuthorities.AsNoTracking().SingleOrDefaultAsync();
        if (ca is null)
        {
            return true; // a backup taken before the first start finished: the server creates the CA on start
        }

        try
        {
            using var key = new PrivateKeyProtector(masterKey).UnprotectKey(ca.EncryptedPrivateKey, CertificateAuthorityStore.KeyPurpose,
                ca.KeyAlgorithm.StartsWith("RSA", StringComparison.Ordinal));
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static async Task<(int Computers, int Certificates)> CountAsync(string path)
    {
        await using var db = Context(path);
        return (await db.Computers.CountAsync(), await db.IssuedCertificates.CountAsync());
    }

    private static SqliteSignetDbContext Context(string path) => new(new DbContextOptionsBuilder<SqliteSignetDbContext>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()).Options);

    /// <summary>SQLite's online backup of <paramref name="source"/> into a new private file (mode 0600 before the first
    /// byte), left as one self-contained file whatever journal mode the source runs in.</summary>
    private static async Task CopyAsync(string source, SqliteOpenMode sourceMode, string target)
    {
        SecureFile.MakePrivate(target, createEmpty: true);
        await using var from = Open(source, sourceMode);
        await using var to = Open(target, SqliteOpenMode.ReadWrite);
        await from.OpenAsync();
        await to.OpenAsync();
        from.BackupDatabase(to);
        await using var command = to.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        await command.ExecuteNonQueryAsync();
    }
}
