using Signet.Agent.Inventory;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.Inventory;

public sealed class ParserTests
{
    [Fact]
    public void ReadsOsRelease()
    {
        var values = LinuxParsers.ParseOsRelease(Fixture.Read("os-release.txt"));

        Assert.Equal(("Debian GNU/Linux", "12"), LinuxParsers.OsNameAndVersion(values));
        Assert.Equal("bookworm", values["VERSION_CODENAME"]);
        Assert.Equal("https://bugs.debian.org/", values["BUG_REPORT_URL"]);
    }

    [Fact]
    public void OsReleaseWithoutNameFallsBackToPrettyName() =>
        Assert.Equal(("Arch Linux", null), LinuxParsers.OsNameAndVersion(LinuxParsers.ParseOsRelease("PRETTY_NAME=\"Arch Linux\"\n")));

    [Fact]
    public void ReadsMemTotalInBytes() =>
        Assert.Equal(24570348L * 1024, LinuxParsers.ParseMemTotal(Fixture.Read("meminfo.txt")));

    [Fact]
    public void MissingMemTotalIsUnknown() => Assert.Null(LinuxParsers.ParseMemTotal("MemFree: 12 kB\n"));

    [Fact]
    public void ReadsX86CpuModelAndProcessorCount() =>
        Assert.Equal(("Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", 2), LinuxParsers.ParseCpuInfo(Fixture.Read("cpuinfo-x86.txt")));

    [Fact]
    public void ReadsArmCpuInfoWithoutModelName() =>
        Assert.Equal(("BCM2835", 4), LinuxParsers.ParseCpuInfo(Fixture.Read("cpuinfo-arm.txt")));

    [Fact]
    public void ReadsInstalledDpkgPackagesOnly()
    {
        var packages = LinuxParsers.ParseDpkgStatus(Fixture.Read("dpkg-status.txt"));

        Assert.Equal(
            [
                new ApplicationInfo("adduser", "3.134", "dpkg"),
                new ApplicationInfo("libssl3", "3.0.15-1~deb12u1", "dpkg"),
                new ApplicationInfo("openssl", "3.0.15-1~deb12u1", "dpkg"),
            ],
            packages);
    }

    [Fact]
    public void ReadsRootAndRegularUsersFromPasswd()
    {
        var users = LinuxParsers.ParsePasswd(Fixture.Read("passwd.txt"));

        Assert.Equal(
            [
                new LocalUserInfo("root", 0, "/root", "/bin/bash"),
                new LocalUserInfo("alice", 1000, "/home/alice", "/bin/bash"),
                new LocalUserInfo("carol", 1001, "/home/carol", "/bin/zsh"),
            ],
            users);
    }

    [Fact]
    public void ReadsSwVers() => Assert.Equal(("macOS", "14.4.1"), MacParsers.ParseSwVers(Fixture.Read("sw_vers.txt")));

    [Fact]
    public void ReadsRealUsersFromDscl() =>
        Assert.Equal(["root", "alice", "bob"], MacParsers.ParseDsclUsers(Fixture.Read("dscl-users.txt")).Select(u => u.Name));

    [Fact]
    public void ReadsApplicationNameAndVersionFromInfoPlist() =>
        Assert.Equal(new ApplicationInfo("Safari", "17.4.1", "bundle"), MacParsers.ParseInfoPlist(Fixture.Read("Info.plist"), "Safari"));

    [Fact]
    public void UnreadableInfoPlistIsSkipped() => Assert.Null(MacParsers.ParseInfoPlist("bplist00\u0001", "X"));

    [Theory]
    [InlineData("17179869184\n", 17179869184L)]
    [InlineData("", null)]
    [InlineData("n/a", null)]
    public void ReadsSysctlNumbers(string text, long? expected) => Assert.Equal(expected, MacParsers.ParseSysctlNumber(text));
}
