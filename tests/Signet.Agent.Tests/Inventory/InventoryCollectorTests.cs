using Microsoft.Extensions.Time.Testing;
using Signet.Agent.Inventory;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.Inventory;

public sealed class InventoryCollectorTests
{
    [Fact]
    public void DropsApplicationsBeyondTheCapAndSaysSo()
    {
        var applications = Enumerable.Range(0, 5000).Select(i => new ApplicationInfo($"package-{i:D5}", "1.0." + i, "dpkg")).ToList();
        var document = new InventoryDocument { CollectedAt = DateTimeOffset.UnixEpoch, Applications = applications };
        Assert.True(InventoryCollector.Size(document) > 64 * 1024);

        var capped = InventoryCollector.Cap(document, 64 * 1024);

        Assert.True(capped.Truncated);
        Assert.True(InventoryCollector.Size(capped) <= 64 * 1024);
        Assert.InRange(capped.Applications.Count, 1, applications.Count - 1);
        Assert.Equal(applications.Take(capped.Applications.Count), capped.Applications);
    }

    [Fact]
    public void LeavesADocumentUnderTheCapAlone()
    {
        var document = new InventoryDocument { CollectedAt = DateTimeOffset.UnixEpoch, Applications = [new ApplicationInfo("a", "1", "dpkg")] };

        Assert.Same(document, InventoryCollector.Cap(document, 64 * 1024));
    }

    [Fact]
    public void CollectsThisComputerUnderTheCap()
    {
        var time = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var document = new InventoryCollector(new FakeTimeProvider(time), new Agent.DeviceIdentity.ComputerIdentity("u", "S1", "M1")).Collect();

        Assert.Equal(time, document.CollectedAt);
        Assert.NotNull(document.OperatingSystem?.Name);
        Assert.Equal("S1", document.Hardware?.SerialNumber);
        Assert.True(document.Hardware?.CpuCores > 0);
        Assert.True(InventoryCollector.Size(document) <= InventoryCollector.MaximumBytes);
    }
}
