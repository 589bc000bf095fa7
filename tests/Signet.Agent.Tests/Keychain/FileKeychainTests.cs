using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;
using Signet.Protocol.Device;

namespace Signet.Agent.Tests.Keychain;

// The keychain is a Unix file keychain; Windows would need ACL checks instead of mode bits.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileKeychainTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TestCa _ca = new();
    private readonly string _folder;
    private readonly FileKeychain _keychain;

    public FileKeychainTests()
    {
        _folder = _temp.Combine("keychain");
        _keychain = new FileKeychain(_folder);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private static readonly AgentConfig Config = new("http://127.0.0.1:5000", "computer-1", "udid-1");

    private string Enroll(DeviceKeyType type = DeviceKeyType.Rsa)
    {
        using var key = _keychain.GenerateKey(type);
        using var certificate = _ca.Issue(key);
        _keychain.Create(Config, key, certificate, _ca.Bundle);
        return KeyIds.FromCertificate(certificate.RawData);
    }

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    [Fact]
    public void OpenReturnsNullWhenThereIsNoKeychain() => Assert.Null(_keychain.Open());

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec-p256")]
    [InlineData("ec-p384")]
    public void StoresAnEnrollmentThatOpensWithTheSameKeyAndConfig(string typeName)
    {
        var type = Enum.GetValues<DeviceKeyType>().Single(t => t.ToName() == typeName);
        var keyId = Enroll(type);

        using var credentials = _keychain.Open();
        Assert.NotNull(credentials);
        Assert.Equal(Config, credentials.Config);
        Assert.Equal(type, credentials.KeyType);
        Assert.Equal(keyId, credentials.SigningKey.KeyId);
        Assert.Single(credentials.CaCertificates);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path(FileKeychain.KeyFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void CreatesTheFolderOwnerOnlyAndTheKeyFileOwnerReadWrite()
    {
        Enroll();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path(FileKeychain.KeyFileName)));
    }

    [Fact]
    public void RefusesAFolderOthersCanRead()
    {
        Enroll();
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101); // 0755

        var error = Assert.Throws<KeychainException>(() => _keychain.Open());
        Assert.Contains($"chmod 700 {_folder}", error.Message, StringComparison.Ordinal);
        Assert.Contains("0755", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAKeyFileOthersCanRead()
    {
        Enroll();
        File.SetUnixFileMode(Path(FileKeychain.KeyFileName), (UnixFileMode)0b110_100_100); // 0644

        var error = Assert.Throws<KeychainException>(() => _keychain.Open());
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.Contains("0644", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsACertificateThatDoesNotCertifyTheKeyAsDamaged()
    {
        Enroll();
        using var otherKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var otherCertificate = _ca.Issue(otherKey);
        AtomicFile.Write(Path(FileKeychain.CertificateFileName), System.Text.Encoding.ASCII.GetBytes(otherCertificate.ExportCertificatePem()));

        var error = Assert.Throws<KeychainException>(() => _keychain.Open());
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("signet enroll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsAMissingKeyAsDamaged()
    {
        Enroll();
        File.Delete(Path(FileKeychain.KeyFileName));

        var error = Assert.Throws<KeychainException>(() => _keychain.Open());
        Assert.Contains(FileKeychain.KeyFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenewalSwapsInTheNewKeyAndCertificate()
    {
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var newCertificate = _ca.Issue(newKey);

        _keychain.ReplaceIdentity(newKey, newCertificate);

        using var credentials = _keychain.Open()!;
        Assert.NotEqual(oldKeyId, credentials.SigningKey.KeyId);
        Assert.Equal(KeyIds.FromCertificate(newCertificate.RawData), credentials.SigningKey.KeyId);
        Assert.False(File.Exists(Path(FileKeychain.KeyFileName + FileKeychain.PendingSuffix)));
        Assert.False(File.Exists(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix)));
    }

    [Fact]
    public void RenewalRefusesACertificateForAnotherKeyAndLeavesTheKeychainAlone()
    {
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var otherKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var wrongCertificate = _ca.Issue(otherKey);

        Assert.Throws<KeychainException>(() => _keychain.ReplaceIdentity(newKey, wrongCertificate));

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
    }

    [Fact]
    public void APendingRenewalKeyAloneIsKeptAndTheOldPairStillSigns()
    {
        // Killed after storing device.key.new (before sending, or after the server's commit): the server may hold a
        // certificate for that key, so it is kept for the next renewal to fetch.
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        _keychain.SavePendingRenewalKey(newKey);

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        Assert.NotEmpty(credentials.SigningKey.Sign("base"u8));
        Assert.True(credentials.RenewalPending);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path(FileKeychain.KeyFileName + FileKeychain.PendingSuffix)));
        using var pending = _keychain.OpenPendingRenewalKey();
        Assert.NotNull(pending);
        Assert.Equal(newKey.ExportPem(), pending.ExportPem());
    }

    [Fact]
    public void CrashWithAHalfWrittenNewCertificateKeepsTheOldPairAndThePendingKey()
    {
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        _keychain.SavePendingRenewalKey(newKey);
        File.WriteAllText(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix), "-----BEGIN CERTIFICATE-----\nMIIB");

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        Assert.True(credentials.RenewalPending);
        Assert.False(File.Exists(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix)));
    }

    [Fact]
    public void APendingCertificateForAnotherKeyIsDroppedAndThePendingKeyKept()
    {
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.EcP256);
        using var otherKey = _keychain.GenerateKey(DeviceKeyType.EcP256);
        using var otherCertificate = _ca.Issue(otherKey);
        _keychain.SavePendingRenewalKey(newKey);
        AtomicFile.Write(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(otherCertificate.ExportCertificatePem()));

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        Assert.True(credentials.RenewalPending);
        Assert.False(File.Exists(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix)));
    }

    [Fact]
    public void AnUnreadablePendingKeyIsDroppedSoTheNextRenewalMakesANewOne()
    {
        var oldKeyId = Enroll();
        AtomicFile.Write(Path(FileKeychain.KeyFileName + FileKeychain.PendingSuffix), "not a key"u8);

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        Assert.False(credentials.RenewalPending);
        Assert.False(File.Exists(Path(FileKeychain.KeyFileName + FileKeychain.PendingSuffix)));
        Assert.Null(_keychain.OpenPendingRenewalKey());
    }

    [Fact]
    public void DiscardingThePendingRenewalKeyLeavesTheOldPair()
    {
        var oldKeyId = Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        _keychain.SavePendingRenewalKey(newKey);

        _keychain.DiscardPendingRenewalKey();

        using var credentials = _keychain.Open()!;
        Assert.Equal(oldKeyId, credentials.SigningKey.KeyId);
        Assert.False(credentials.RenewalPending);
    }

    [Fact]
    public void ReplacingTheIdentityWithThePendingKeyFinishesTheRenewal()
    {
        Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        _keychain.SavePendingRenewalKey(newKey);
        using var newCertificate = _ca.Issue(newKey);

        _keychain.ReplaceIdentity(newKey, newCertificate);

        using var credentials = _keychain.Open()!;
        Assert.Equal(KeyIds.FromCertificate(newCertificate.RawData), credentials.SigningKey.KeyId);
        Assert.False(credentials.RenewalPending);
        Assert.Null(_keychain.OpenPendingRenewalKey());
    }

    [Fact]
    public void CrashBeforeTheSwapFinishesTheSwapOnOpen()
    {
        Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var newCertificate = _ca.Issue(newKey);
        AtomicFile.Write(Path(FileKeychain.KeyFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(newKey.Key.ExportPkcs8PrivateKeyPem()));
        AtomicFile.Write(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(newCertificate.ExportCertificatePem()));

        using var credentials = _keychain.Open()!;
        Assert.Equal(KeyIds.FromCertificate(newCertificate.RawData), credentials.SigningKey.KeyId);
    }

    [Fact]
    public void CrashBetweenTheTwoRenamesFinishesTheSwapOnOpen()
    {
        Enroll();
        using var newKey = _keychain.GenerateKey(DeviceKeyType.Rsa);
        using var newCertificate = _ca.Issue(newKey);
        // device.key already holds the new key; the new certificate is still pending.
        AtomicFile.Write(Path(FileKeychain.KeyFileName), System.Text.Encoding.ASCII.GetBytes(newKey.Key.ExportPkcs8PrivateKeyPem()));
        AtomicFile.Write(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(newCertificate.ExportCertificatePem()));

        using var credentials = _keychain.Open()!;
        Assert.Equal(KeyIds.FromCertificate(newCertificate.RawData), credentials.SigningKey.KeyId);
        Assert.False(File.Exists(Path(FileKeychain.CertificateFileName + FileKeychain.PendingSuffix)));
    }

    [Fact]
    public void OpenDeletesTemporaryFilesLeftByACrash()
    {
        Enroll();
        var leftover = Path(AtomicFile.TemporaryPrefix + "agent.json-0011223344");
        File.WriteAllText(leftover, "{\"half");

        using var credentials = _keychain.Open();
        Assert.NotNull(credentials);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void SaveConfigKeepsLastContact()
    {
        Enroll();
        var at = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
        _keychain.SaveConfig(Config with { LastContactAt = at, CheckInIntervalSeconds = 300 });

        using var credentials = _keychain.Open()!;
        Assert.Equal(at, credentials.Config.LastContactAt);
        Assert.Equal(300, credentials.Config.CheckInIntervalSeconds);
    }

    [Fact]
    public void RemoveDeletesTheKeychainButNotForeignFiles()
    {
        Enroll();
        Assert.True(_keychain.Remove());
        Assert.False(Directory.Exists(_folder));

        Enroll();
        File.WriteAllText(Path("notes.txt"), "mine");
        Assert.True(_keychain.Remove());
        Assert.True(File.Exists(Path("notes.txt")));
        Assert.False(File.Exists(Path(FileKeychain.KeyFileName)));
        Assert.Null(_keychain.Open());
    }

    [Fact]
    public void ReportsAnUnreadableConfigAsDamaged()
    {
        Enroll();
        AtomicFile.Write(Path(FileKeychain.ConfigFileName), "{\"serverUrl\":\"x\"}"u8);

        var error = Assert.Throws<KeychainException>(() => _keychain.Open());
        Assert.Contains(FileKeychain.ConfigFileName, error.Message, StringComparison.Ordinal);
    }
}
