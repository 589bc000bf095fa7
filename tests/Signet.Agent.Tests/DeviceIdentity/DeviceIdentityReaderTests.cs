using Signet.Agent.DeviceIdentity;

namespace Signet.Agent.Tests.DeviceIdentity;

public sealed class DeviceIdentityReaderTests
{
    private static DeviceIdentityReader Linux(Dictionary<string, string> files, Dictionary<string, string>? environment = null) =>
        new(name => environment?.GetValueOrDefault(name), path => files.GetValueOrDefault(path), (_, _) => null, isMacOS: false);

    [Fact]
    public void PrefersDmiProductUuidOverMachineIdOnLinux()
    {
        var reader = Linux(new()
        {
            ["/sys/class/dmi/id/product_uuid"] = Fixture.Read("product_uuid.txt"),
            ["/etc/machine-id"] = Fixture.Read("machine-id.txt"),
            ["/sys/class/dmi/id/product_serial"] = "PF2ABCDE\n",
            ["/sys/class/dmi/id/product_name"] = "ThinkPad X1\n",
        });

        Assert.Equal(new ComputerIdentity("4c4c4544-0042-3510-8052-b4c04f4e4b32", "PF2ABCDE", "ThinkPad X1"), reader.Read());
    }

    [Fact]
    public void FallsBackToMachineIdWhenDmiIsUnreadable()
    {
        var reader = Linux(new() { ["/etc/machine-id"] = Fixture.Read("machine-id.txt") });

        Assert.Equal(new ComputerIdentity("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", null, null), reader.Read());
    }

    [Fact]
    public void EnvironmentOverridesUdidAndSerial()
    {
        var reader = Linux(
            new() { ["/etc/machine-id"] = Fixture.Read("machine-id.txt") },
            new() { [DeviceIdentityReader.UdidVariable] = "SIM-0001", [DeviceIdentityReader.SerialVariable] = "SERIAL-1" });

        Assert.Equal(new ComputerIdentity("SIM-0001", "SERIAL-1", null), reader.Read());
    }

    [Fact]
    public void NoSourceMeansNoIdentity() => Assert.Null(Linux([]).Read());

    [Fact]
    public void ReadsIoregOnMacOS()
    {
        string[]? ran = null;
        var reader = new DeviceIdentityReader(_ => null, _ => null, (tool, arguments) =>
        {
            ran = [tool, .. arguments];
            return Fixture.Read("ioreg.txt");
        }, isMacOS: true);

        Assert.Equal(new ComputerIdentity("6F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8", "C02JK3L5X9", "MacBookPro18,3"), reader.Read());
        Assert.Equal(["ioreg", "-rd1", "-c", "IOPlatformExpertDevice"], ran!);
    }
}
