using Microsoft.Extensions.DependencyInjection;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Units;

/// <summary>The device directory's cache expires on the injected clock, not the wall clock.</summary>
public sealed class DeviceDirectoryClockTests
{
    [Fact]
    public async Task AnUnknownUdidIsLookedUpAgainOnceTheFakeClockPassesTheNegativeLifetime()
    {
        using var factory = new SignetFactory();
        _ = factory.Server;
        var directory = factory.Services.GetRequiredService<IComputerDirectory>();
        const string udid = "CLOCK-TEST-UDID";

        Assert.Null(await directory.FindComputerIdAsync(udid, CancellationToken.None));
        await AddComputerBehindTheCacheAsync(factory, udid);

        // Remembered as unknown for 30 seconds of the server's clock, however long the wall clock takes.
        factory.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await directory.FindComputerIdAsync(udid, CancellationToken.None));
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("clock-test", await directory.FindComputerIdAsync(udid, CancellationToken.None));
    }

    /// <summary>A row written straight to the database, so nothing tells the cache.</summary>
    private static async Task AddComputerBehindTheCacheAsync(SignetFactory factory, string udid)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        db.Computers.Add(new Computer { Id = "clock-test", Udid = udid, EnrolledAt = factory.Time.GetUtcNow(), Version = Guid.NewGuid() });
        await db.SaveChangesAsync();
    }
}
