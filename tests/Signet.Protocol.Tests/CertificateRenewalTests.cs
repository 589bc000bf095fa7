using Signet.Protocol.Device;

namespace Signet.Protocol.Tests;

public sealed class CertificateRenewalTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = NotBefore.AddDays(90);

    [Fact]
    public void IsDueOnceTwoThirdsOfTheLifetimeHavePassed()
    {
        Assert.Equal(NotBefore.AddDays(60), CertificateRenewal.DueAt(NotBefore, NotAfter));
        Assert.True(CertificateRenewal.IsDue(NotBefore, NotAfter, NotBefore.AddDays(60)));
        Assert.True(CertificateRenewal.IsDue(NotBefore, NotAfter, NotAfter.AddDays(1)));
    }

    [Fact]
    public void IsNotDueWhileMoreThanAThirdIsLeft()
    {
        Assert.False(CertificateRenewal.IsDue(NotBefore, NotAfter, NotBefore));
        Assert.False(CertificateRenewal.IsDue(NotBefore, NotAfter, NotBefore.AddDays(60).AddSeconds(-1)));
    }

    [Fact]
    public void ScalesWithTheLifetime()
    {
        var shortLived = NotBefore.AddHours(3);

        Assert.Equal(NotBefore.AddHours(2), CertificateRenewal.DueAt(NotBefore, shortLived));
    }
}
