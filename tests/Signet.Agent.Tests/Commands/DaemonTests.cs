using Signet.Agent.Commands;

namespace Signet.Agent.Tests.Commands;

public sealed class DaemonTests
{
    [Fact]
    public void JitterStaysWithinTenPercentAndVaries()
    {
        var delays = Enumerable.Range(0, 200).Select(_ => DaemonCommand.WithJitter(600)).ToList();

        Assert.All(delays, d => Assert.InRange(d.TotalSeconds, 540, 660));
        Assert.True(delays.Distinct().Count() > 1);
    }

    [Fact]
    public void LaunchdPlistEscapesArguments()
    {
        var plist = InstallDaemonCommand.LaunchdPlist(["/usr/local/bin/signet", "daemon", "--keychain", "/a&b"]);

        Assert.Contains("<string>/a&amp;b</string>", plist, StringComparison.Ordinal);
        Assert.Contains("<key>RunAtLoad</key>", plist, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(plist); // well-formed
    }
}
