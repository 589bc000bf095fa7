namespace Signet.EndToEnd.Tests;

/// <summary><c>signet-server backup</c> of a running server and <c>restore</c> into an empty folder, as an operator
/// moving to a new machine would do them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("signet-e2e-backup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ARestoredServerHasTheSameCaAndItsEnrolledComputersCheckIn()
    {
        var backup = Path.Combine(_folder, "signet-backup.db");
        var restored = Path.Combine(_folder, "restored");
        using var computer = new SimulatedComputer();
        string fingerprint;
        int port;
        await using (var server = await Servers.StartAsync(environment: CaSettings()))
        {
            fingerprint = server.CaFingerprint;
            port = server.Port;
            await computer.EnrollAsync(server);

            // Online: the server keeps running while the copy is made.
            var made = await Programs.RunServerAsync(["backup", "--to", backup, "--include-master-key"], _folder,
                new Dictionary<string, string> { ["Signet__DataDirectory"] = server.DataDirectory });
            Assert.True(made.ExitCode == 0, made.ToString());
            Assert.Contains("1 computers", made.Output, StringComparison.Ordinal);
            Assert.Contains("integrity check: ok", made.Output, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup + ".master.key"));
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "master.key")), await File.ReadAllTextAsync(backup + ".master.key"));
        }

        var result = await Programs.RunServerAsync(["restore", "--from", backup, "--master-key", backup + ".master.key"], _folder,
            new Dictionary<string, string> { ["Signet__DataDirectory"] = restored });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(restored));

        await using var again = await Servers.StartAsync(environment: CaSettings(), dataDirectory: restored, port: port);
        Assert.Equal(fingerprint, again.CaFingerprint);
        var checkedIn = await computer.RunAsync("checkin");
        Assert.True(checkedIn.ExitCode == 0, checkedIn.ToString());
    }

    [Fact]
    public async Task WithoutTheMasterKeyTheBackupSaysSoLoudlyAndRestoreRefusesAWrongKey()
    {
        var backup = Path.Combine(_folder, "b.db");
        await using (var server = await Servers.StartAsync(https: false, environment: CaSettings()))
        {
            var made = await Programs.RunServerAsync(["backup", "--to", backup], _folder,
                new Dictionary<string, string> { ["Signet__DataDirectory"] = server.DataDirectory });
            Assert.True(made.ExitCode == 0, made.ToString());
            Assert.Contains("MASTER KEY NOT IN THIS BACKUP", made.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(backup + ".master.key"));

            var again = await Programs.RunServerAsync(["backup", "--to", backup], _folder,
                new Dictionary<string, string> { ["Signet__DataDirectory"] = server.DataDirectory });
            Assert.Equal(2, again.ExitCode);
        }

        var target = Path.Combine(_folder, "target");
        var noKey = await Programs.RunServerAsync(["restore", "--from", backup], _folder,
            new Dictionary<string, string> { ["Signet__DataDirectory"] = target });
        Assert.Equal(3, noKey.ExitCode);
        Assert.Contains("--master-key", noKey.Error, StringComparison.Ordinal);

        var wrongKey = await Programs.RunServerAsync(["restore", "--from", backup], _folder, new Dictionary<string, string>
        {
            ["Signet__DataDirectory"] = target,
            ["Signet__MasterKey"] = Convert.ToBase64String(new byte[32]),
        });
        Assert.Equal(3, wrongKey.ExitCode);
        Assert.Contains("does not decrypt the CA key", wrongKey.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target), "nothing is written for a restore that cannot work");
    }

    [Fact]
    public async Task ADamagedBackupIsRefusedAndAFolderInUseIsNotOverwritten()
    {
        var damaged = Path.Combine(_folder, "damaged.db");
        await File.WriteAllBytesAsync(damaged, System.Text.Encoding.ASCII.GetBytes("SQLite format 3\0" + new string('x', 4000)));
        var key = Path.Combine(_folder, "k");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(new byte[32]));
        var refused = await Programs.RunServerAsync(["restore", "--from", damaged, "--master-key", key], _folder,
            new Dictionary<string, string> { ["Signet__DataDirectory"] = Path.Combine(_folder, "t") });
        Assert.True(refused.ExitCode is 7 or 6, refused.ToString());

        var inUse = Path.Combine(_folder, "in-use");
        Directory.CreateDirectory(inUse);
        await File.WriteAllTextAsync(Path.Combine(inUse, "signet.db"), "");
        var occupied = await Programs.RunServerAsync(["restore", "--from", damaged, "--master-key", key], _folder,
            new Dictionary<string, string> { ["Signet__DataDirectory"] = inUse });
        Assert.Equal(4, occupied.ExitCode);
        Assert.Equal(0, new FileInfo(Path.Combine(inUse, "signet.db")).Length);
    }

    private static Dictionary<string, string> CaSettings() => new() { ["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256" };
}
