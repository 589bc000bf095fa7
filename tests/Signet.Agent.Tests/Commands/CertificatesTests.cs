using Signet.Agent.Commands;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Tests.Commands;

public sealed class CertificatesTests
{
    [Fact]
    public void IsDueForRenewalOnceTwoThirdsOfTheLifetimeHavePassed()
    {
        using var ca = new TestCa();
        using var key = PendingDeviceKey.Generate(DeviceKeyType.EcP256);
        using var certificate = ca.Issue(key, days: 30);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var lifetime = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - notBefore;

        Assert.False(Certificates.IsDueForRenewal(certificate, notBefore + (lifetime / 2)));
        Assert.True(Certificates.IsDueForRenewal(certificate, notBefore + (lifetime * 2 / 3) + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AnUnreadableCertificateIsAFailureWithExitOne()
    {
        var failure = Assert.Throws<AgentFailure>(() => Certificates.Parse("not a certificate", new Uri("https://signet.example.com")));

        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
        Assert.Contains("https://signet.example.com", failure.Message, StringComparison.Ordinal);
    }
}
