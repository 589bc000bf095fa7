using Signet.Agent.DeviceIdentity;

namespace Signet.Agent.Tests.DeviceIdentity;

public sealed class IdentityParsersTests
{
    [Fact]
    public void ReadsUuidSerialAndModelFromIoreg()
    {
        var identity = IdentityParsers.ParseIoreg(Fixture.Read("ioreg.txt"));

        Assert.NotNull(identity);
        Assert.Equal("6F1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8", identity.Udid);
        Assert.Equal("C02JK3L5X9", identity.SerialNumber);
        Assert.Equal("MacBookPro18,3", identity.Model);
    }

    [Fact]
    public void IoregWithoutPlatformUuidIsNoIdentity() =>
        Assert.Null(IdentityParsers.ParseIoreg("""    "model" = <"MacBookPro18,3">"""));

    [Fact]
    public void FormatsMachineIdAsUuid() =>
        Assert.Equal("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", IdentityParsers.ParseMachineId(Fixture.Read("machine-id.txt")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("uninitialized\n")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("3d1219c7c4c5404aaa1f6d2a48adfd")]
    public void RejectsMachineIdsThatAreNotOne(string? text) => Assert.Null(IdentityParsers.ParseMachineId(text));

    [Fact]
    public void ReadsDmiProductUuid() =>
        Assert.Equal("4c4c4544-0042-3510-8052-b4c04f4e4b32", IdentityParsers.ParseDmiUuid(Fixture.Read("product_uuid.txt")));

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")]
    [InlineData("Not Settable")]
    public void RejectsPlaceholderDmiUuids(string text) => Assert.Null(IdentityParsers.ParseDmiUuid(text));

    [Theory]
    [InlineData("To Be Filled By O.E.M.\n", null)]
    [InlineData("Default string", null)]
    [InlineData("  PF2ABCDE \n", "PF2ABCDE")]
    public void CleansDmiText(string text, string? expected) => Assert.Equal(expected, IdentityParsers.ParseDmiText(text));
}
