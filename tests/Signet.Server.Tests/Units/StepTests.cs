using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Signet.Protocol;
using Signet.Protocol.Signatures;
using Signet.Server.CertificateAuthority;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Hosting;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Units;

/// <summary>The small steps of device authentication and the CA, each on its own.</summary>
public sealed class StepTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceKeyEntry Entry(CertificateStatus status, DateTimeOffset? graceUntil = null)
    {
        using var key = TestKeys.NewP256();
        return new DeviceKeyEntry("k", VerificationKey.FromECDsa(key), "c", "u", Now.AddDays(-1), Now.AddDays(1), status, graceUntil);
    }

    [Fact]
    public void CurrentCertificateWithinItsValidityPasses() =>
        Assert.Null(CertificateStatusCheck.Check(Entry(CertificateStatus.Current), Now));

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void CertificateOutsideItsValidityIsExpired(int days) =>
        Assert.Equal(ProblemCode.CertificateExpired, CertificateStatusCheck.Check(Entry(CertificateStatus.Current), Now.AddDays(days)));

    [Fact]
    public void RevokedCertificateIsRevoked() =>
        Assert.Equal(ProblemCode.CertificateRevoked, CertificateStatusCheck.Check(Entry(CertificateStatus.Revoked), Now));

    [Fact]
    public void SupersededCertificateWorksOnlyWithinItsGrace()
    {
        Assert.Null(CertificateStatusCheck.Check(Entry(CertificateStatus.Superseded, Now.AddMinutes(1)), Now));
        Assert.Null(CertificateStatusCheck.Check(Entry(CertificateStatus.Superseded, Now), Now));
        Assert.Equal(ProblemCode.CertificateRevoked, CertificateStatusCheck.Check(Entry(CertificateStatus.Superseded, Now.AddTicks(-1)), Now));
        Assert.Equal(ProblemCode.CertificateRevoked, CertificateStatusCheck.Check(Entry(CertificateStatus.Superseded), Now));
    }

    private static MemoryNonceStore NonceStore(FakeTimeProvider time, int capacity = 100)
    {
        var options = new OptionsMonitorStub(new DeviceSignatureOptions { NonceCapacity = capacity });
        return new MemoryNonceStore(options, time, NullLogger<MemoryNonceStore>.Instance);
    }

    [Fact]
    public async Task NonceIsAcceptedOnceThenRefusedUntilItExpires()
    {
        var time = new FakeTimeProvider(Now);
        var store = NonceStore(time);
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n1", Now.AddMinutes(5), default));
        Assert.Equal(NonceOutcome.Replayed, await store.RecordAsync("n1", Now.AddMinutes(5), default));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n2", Now.AddMinutes(5), default));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n1", Now.AddMinutes(11), default));
    }

    [Fact]
    public async Task ExpiredNoncesAreSweptWithoutWaitingForCapacity()
    {
        var time = new FakeTimeProvider(Now);
        var store = NonceStore(time, capacity: 1_000);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n" + i, Now.AddSeconds(30), default));
        }

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("fresh", Now.AddMinutes(5), default));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task FullNonceStoreDropsExpiredEntriesAndOtherwiseIsUnavailableNotAReplay()
    {
        var time = new FakeTimeProvider(Now);
        var store = NonceStore(time, capacity: 2);
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("a", Now.AddMinutes(1), default));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("b", Now.AddMinutes(5), default));
        Assert.Equal(NonceOutcome.Unavailable, await store.RecordAsync("c", Now.AddMinutes(5), default));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("c", Now.AddMinutes(7), default));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task AForgottenNonceCanBeRecordedAgainButOnlyTheEntryItWasRecordedWith()
    {
        var time = new FakeTimeProvider(Now);
        var store = NonceStore(time);
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n", Now.AddMinutes(5), default));
        store.Forget("n", Now.AddMinutes(4)); // another request's entry: left alone
        Assert.Equal(NonceOutcome.Replayed, await store.RecordAsync("n", Now.AddMinutes(5), default));
        store.Forget("n", Now.AddMinutes(5));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("n", Now.AddMinutes(5), default));
    }

    [Fact]
    public async Task ForgottenSweptAndReusedNoncesKeepTheCapacityCountExact()
    {
        var time = new FakeTimeProvider(Now);
        var store = NonceStore(time, capacity: 2);
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("a", Now.AddMinutes(5), default));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("b", Now.AddMinutes(1), default));
        store.Forget("a", Now.AddMinutes(5));
        store.Forget("a", Now.AddMinutes(5)); // twice: counted once
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("c", Now.AddMinutes(5), default));
        Assert.Equal(NonceOutcome.Unavailable, await store.RecordAsync("d", Now.AddMinutes(5), default));

        // "b" expires: reusing it replaces its entry (no new place), and the sweep frees a place only once.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(NonceOutcome.Recorded, await store.RecordAsync("b", Now.AddMinutes(7), default));
        Assert.Equal(NonceOutcome.Unavailable, await store.RecordAsync("d", Now.AddMinutes(7), default));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task BodyOverTheLimitIsNotBuffered()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[101]);
        Assert.Null(await DeviceRequestBody.ReadAsync(context.Request, 100, default));

        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}"));
        var body = await DeviceRequestBody.ReadAsync(context.Request, 100, default);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(body!.Bytes));
        // The endpoint reads the same bytes again from the start.
        using var reader = new StreamReader(context.Request.Body);
        Assert.Equal("{\"a\":1}", await reader.ReadToEndAsync());
    }

    [Fact]
    public void PrivateKeysAreEncryptedAndTamperingIsDetected()
    {
        var directory = Directory.CreateTempSubdirectory("signet-unit-").FullName;
        try
        {
            var hosting = Options.Create(new HostingOptions { DataDirectory = directory });
            var data = new DataDirectory(hosting, new TestHostEnvironment(directory));
            var protector = new PrivateKeyProtector(new MasterKey(hosting, data));
            using var key = TestKeys.NewP256();
            var sealedKey = protector.ProtectKey(key, "ca");
            Assert.DoesNotContain(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(sealedKey), StringComparison.Ordinal);

            using var opened = (ECDsa)protector.UnprotectKey(sealedKey, "ca", isRsa: false);
            Assert.Equal(key.ExportParameters(true).D, opened.ExportParameters(true).D);

            Assert.ThrowsAny<CryptographicException>(() => protector.UnprotectKey(sealedKey, "tls", isRsa: false));
            sealedKey[^1] ^= 1;
            Assert.ThrowsAny<CryptographicException>(() => protector.UnprotectKey(sealedKey, "ca", isRsa: false));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public void SerialNumbersArePositiveSixteenByteAndDistinct()
    {
        var serials = Enumerable.Range(0, 200).Select(_ => IssuanceProfile.NewSerialNumber()).ToList();
        Assert.All(serials, s =>
        {
            Assert.Equal(16, s.Length);
            Assert.True(s[0] is > 0 and < 0x80);
        });
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    private sealed class OptionsMonitorStub(DeviceSignatureOptions value) : IOptionsMonitor<DeviceSignatureOptions>
    {
        public DeviceSignatureOptions CurrentValue => value;
        public DeviceSignatureOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<DeviceSignatureOptions, string?> listener) => null;
    }

    private sealed class TestHostEnvironment(string root) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
