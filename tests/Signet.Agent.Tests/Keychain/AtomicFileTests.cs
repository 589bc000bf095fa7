using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Tests.Keychain;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReplacesTheContentAndLeavesNoTemporaryFile()
    {
        var path = _temp.Combine("agent.json");
        File.WriteAllText(path, "old content that is longer than the new one");

        AtomicFile.Write(path, "new"u8);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void CreatesFilesPrivateToTheOwner()
    {
        var path = _temp.Combine("device.key");

        AtomicFile.Write(path, "secret"u8);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ReplacesByRenameSoAnOpenReaderKeepsTheOldContent()
    {
        var path = _temp.Combine("device.crt");
        File.WriteAllText(path, "old");
        using var reader = new StreamReader(path);

        AtomicFile.Write(path, "new"u8);

        // A rename swaps the directory entry; an in-place rewrite would show the reader the new or a torn file.
        Assert.Equal("old", reader.ReadToEnd());
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void FailsCleanlyWhenTheFolderIsMissing()
    {
        var path = Path.Combine(_temp.Path, "missing", "agent.json");

        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, "x"u8));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "missing")));
    }
}
