using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;

namespace Signet.Agent.Tests.Keychain;

/// <summary>The file keychain's enrollment in progress: enrollment.key (written first) and enrollment.json.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnrollmentInProgressTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempFolder _temp = new();
    private readonly TestCa _ca = new();
    private readonly FileKeychain _keychain;

    public EnrollmentInProgressTests() => _keychain = new FileKeychain(_temp.Combine("keychain"));

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private EnrollmentProgress Progress => new("http://127.0.0.1:5000", "udid-1", _ca.Certificate.ExportCertificatePem())
    {
        Invitation = "code",
        StartedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    /// <summary>Stores a certificate for <paramref name="key"/> as a finished enrollment; returns its keyid.</summary>
    private string Store(PendingDeviceKey key)
    {
        using var certificate = _ca.Issue(key);
        _keychain.Create(new AgentConfig(Progress.ServerUrl, "computer-1", "udid-1"), key, certificate, _ca.Bundle);
        return Protocol.Device.KeyIds.FromCertificate(certificate.RawData);
    }

    private string Path(string name) => _temp.Combine(System.IO.Path.Combine("keychain", name));

    [Fact]
    public void AStartedEnrollmentOpensWithItsStateAndKeyFromPrivateFiles()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP384);

        _keychain.StartEnrollment(Progress, key);

        using var pending = _keychain.OpenPendingEnrollment();
        Assert.NotNull(pending);
        Assert.Equal(Progress, pending.Progress);
        Assert.Equal(DeviceKeyType.EcP384, pending.Key.Type);
        Assert.Equal(key.ExportPem(), pending.Key.ExportPem());
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path(FileKeychain.EnrollmentKeyFileName)));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path(FileKeychain.EnrollmentFileName)));
        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_temp.Combine("keychain")));
        Assert.Null(_keychain.Open()); // not enrolled until the certificate is stored
    }

    [Fact]
    public void TheHeldRequestIsKeptAcrossRuns()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);
        var held = Progress with { RequestId = "0123456789abcdef", PollAfterSeconds = 60, HeldAt = Progress.StartedAt };

        _keychain.SaveEnrollmentProgress(held);

        using var pending = _keychain.OpenPendingEnrollment()!;
        Assert.True(pending.Progress.IsHeld);
        Assert.Equal(held, pending.Progress);
    }

    [Fact]
    public void AKeyWithoutItsStateIsFromAnEnrollmentNeverSentAndIsDropped()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);
        File.Delete(Path(FileKeychain.EnrollmentFileName)); // killed between the two writes

        Assert.Null(_keychain.OpenPendingEnrollment());
        Assert.False(File.Exists(Path(FileKeychain.EnrollmentKeyFileName)));
    }

    [Fact]
    public void AnUnreadableStateIsDropped()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);
        AtomicFile.Write(Path(FileKeychain.EnrollmentFileName), "{\"serverUrl\":\"\"}"u8);

        Assert.Null(_keychain.OpenPendingEnrollment());
        Assert.False(File.Exists(Path(FileKeychain.EnrollmentKeyFileName)));
    }

    [Fact]
    public void StoringTheEnrollmentFinishesIt()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);

        Store(key);

        Assert.Null(_keychain.OpenPendingEnrollment());
        Assert.False(File.Exists(Path(FileKeychain.EnrollmentKeyFileName)));
        Assert.False(File.Exists(Path(FileKeychain.EnrollmentFileName)));
        using var credentials = _keychain.Open();
        Assert.NotNull(credentials);
    }

    [Fact]
    public void AnEnrollmentWhoseKeyIsAlreadyTheDeviceKeyWasStoredAndIsCleanedUp()
    {
        // Killed after agent.json was written but before the enrollment files were removed.
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);
        Store(key);
        _keychain.StartEnrollment(Progress, key);

        Assert.Null(_keychain.OpenPendingEnrollment());
        Assert.False(File.Exists(Path(FileKeychain.EnrollmentFileName)));
    }

    [Fact]
    public void AnEnrollmentInProgressBesideAWorkingKeychainLeavesTheKeychainAlone()
    {
        using var oldKey = _keychain.GenerateKey(DeviceKeyType.EcP256);
        var oldKeyId = Store(oldKey);
        using var newKey = _keychain.GenerateKey(DeviceKeyType.EcP256);

        _keychain.StartEnrollment(Progress, newKey);

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        using var pending = _keychain.OpenPendingEnrollment();
        Assert.NotNull(pending);
    }

    [Fact]
    public void RemoveDeletesAnEnrollmentInProgress()
    {
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        _keychain.StartEnrollment(Progress, key);

        Assert.True(_keychain.Remove());

        Assert.False(Directory.Exists(_temp.Combine("keychain")));
    }
}
