using System.Runtime.Versioning;
using Signet.Server.Hosting;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>The data folder is 0700 and every database, WAL/SHM and key file 0600, whatever the umask or a folder made
/// beforehand; a folder or master key others can read stops the start with one line.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FilesAtRestTests
{
    private const UnixFileMode Folder0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Open0755 = Folder0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task FirstStartUnderUmask000InAFolderMadeOpenBeforehandLeavesEverythingPrivate()
    {
        var parent = Directory.CreateTempSubdirectory("signet-modes-").FullName;
        try
        {
            var data = Path.Combine(parent, "data");
            Directory.CreateDirectory(data);
            File.SetUnixFileMode(data, Open0755); // as `mkdir -p` or a package would leave it

            await using var server = await ServerProgram.StartAsync(data, umask: "000");

            var modes = Modes(data, "", "signet.db", "signet.db-wal", "signet.db-shm", "master.key", "initial-admin-password");
            Assert.True(modes[""] == Folder0700 && modes.Where(m => m.Key.Length > 0).All(m => m.Value == File0600),
                string.Join(", ", modes.Select(m => $"{(m.Key.Length == 0 ? "folder" : m.Key)} {SecureFile.Octal(m.Value)}")));
        }
        finally
        {
            TempFolder.TryDelete(parent);
        }
    }

    [Fact]
    public async Task StartIsRefusedInOneLineWhenTheMasterKeyIsReadableByOthers()
    {
        var parent = Directory.CreateTempSubdirectory("signet-modes-").FullName;
        try
        {
            var data = await FolderWithMasterKeyAsync(parent, Folder0700, File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var key = Path.Combine(data, "master.key");

            var (exitCode, output, error) = await ServerProgram.RunUntilExitAsync(data);

            Assert.NotEqual(0, exitCode);
            AssertOneLine(error, $"chmod 600 {key}");
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data, "signet.db")), "nothing is opened before the check");
        }
        finally
        {
            TempFolder.TryDelete(parent);
        }
    }

    [Fact]
    public async Task StartIsRefusedInOneLineWhenTheDataFolderIsOpenToTheGroup()
    {
        var parent = Directory.CreateTempSubdirectory("signet-modes-").FullName;
        try
        {
            var data = await FolderWithMasterKeyAsync(parent, Folder0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File0600);

            var (exitCode, output, error) = await ServerProgram.RunUntilExitAsync(data);

            Assert.NotEqual(0, exitCode);
            AssertOneLine(error, $"chmod 700 {data}");
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
            Assert.Equal(Folder0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(data));
        }
        finally
        {
            TempFolder.TryDelete(parent);
        }
    }

    [Fact]
    public async Task AnOpenFolderHoldingDataIsRefusedInProcessToo()
    {
        var data = await StartedOnceAsync();
        try
        {
            File.SetUnixFileMode(data, Open0755);
            await using var second = new SignetFactory(data);
            var refused = Assert.Throws<StartRefusedException>(() => second.Server);
            Assert.Contains($"chmod 700 {data}", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.TryDelete(data);
        }
    }

    [Fact]
    public async Task DatabaseFilesAnEarlierVersionLeftOpenAreMadePrivateOnStart()
    {
        var data = await StartedOnceAsync();
        try
        {
            var database = Path.Combine(data, "signet.db");
            File.SetUnixFileMode(database, File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using var second = new SignetFactory(data);
            using var admin = await second.AdminClientAsync();
            await admin.CreateInvitationAsync();

            Assert.Equal(File0600, File.GetUnixFileMode(database));
            foreach (var companion in new[] { "signet.db-wal", "signet.db-shm" }.Select(n => Path.Combine(data, n)).Where(File.Exists))
            {
                Assert.Equal(File0600, File.GetUnixFileMode(companion));
            }
        }
        finally
        {
            TempFolder.TryDelete(data);
        }
    }

    /// <summary>A data folder after one in-process start and stop.</summary>
    private static async Task<string> StartedOnceAsync()
    {
        var data = Directory.CreateTempSubdirectory("signet-modes-").FullName;
        await using var first = new SignetFactory(data);
        _ = first.Server;
        return data;
    }

    /// <summary><c>parent/data</c> holding a master key, with the given modes.</summary>
    private static async Task<string> FolderWithMasterKeyAsync(string parent, UnixFileMode folderMode, UnixFileMode keyMode)
    {
        var data = Directory.CreateDirectory(Path.Combine(parent, "data")).FullName;
        var key = Path.Combine(data, "master.key");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        File.SetUnixFileMode(key, keyMode);
        File.SetUnixFileMode(data, folderMode);
        return data;
    }

    private static Dictionary<string, UnixFileMode> Modes(string folder, params string[] names) =>
        names.ToDictionary(n => n, n => File.GetUnixFileMode(n.Length == 0 ? folder : Path.Combine(folder, n)));

    private static void AssertOneLine(string error, string expected)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on standard error, got:\n{error}");
        Assert.Contains("refusing to start", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }
}
