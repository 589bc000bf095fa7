using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol.Wire;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>A check-in asks for inventory once a day. Once the server knows an inventory arrived (it received it, or a
/// check-in read the time from the database), later check-ins answer from memory: the database is not asked again on
/// every check-in of every computer. The tests move the stored time behind the server's back to see which it used.</summary>
public sealed class CheckInInventoryTests
{
    [Fact]
    public async Task AfterAnInventoryCheckInsAnswerFromMemory()
    {
        await using var factory = new SignetFactory();
        var (device, client) = await EnrolledAndAskedForInventoryAsync(factory);
        using var _ = client;

        var submitted = await client.PostAsJsonAsync("/agent/v1/inventory",
            new InventoryDocument { CollectedAt = factory.Time.GetUtcNow() }, SignetJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, submitted.StatusCode);
        await SetLastInventoryAsync(factory, device.ComputerId, null);

        Assert.Empty((await client.CheckInOkAsync()).Actions);

        // A day later the remembered time is due again, and the database (which says never) is asked.
        factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal([AgentActions.Inventory], (await client.CheckInOkAsync()).Actions);
    }

    [Fact]
    public async Task AnInventoryTimeReadFromTheDatabaseIsRemembered()
    {
        await using var factory = new SignetFactory();
        var (device, client) = await EnrolledAndAskedForInventoryAsync(factory);
        using var _ = client;

        // Received elsewhere (another node): this node's cached state still says never, so it asks the database once.
        await SetLastInventoryAsync(factory, device.ComputerId, factory.Time.GetUtcNow());
        Assert.Empty((await client.CheckInOkAsync()).Actions);
        await SetLastInventoryAsync(factory, device.ComputerId, null);
        Assert.Empty((await client.CheckInOkAsync()).Actions);
    }

    /// <summary>A computer enrolled on <paramref name="factory"/> whose first check-in was asked for inventory, so the
    /// server has cached its check-in state without one; and its signing client.</summary>
    private static async Task<(TestDevice Device, HttpClient Client)> EnrolledAndAskedForInventoryAsync(SignetFactory factory)
    {
        using var admin = await factory.AdminClientAsync();
        using var anonymous = factory.CreateClient();
        var device = await anonymous.EnrollAsync(await admin.CreateInvitationAsync());
        var client = factory.SigningClient(device);
        Assert.Equal([AgentActions.Inventory], (await client.CheckInOkAsync()).Actions);
        return (device, client);
    }

    private static async Task SetLastInventoryAsync(SignetFactory factory, string computerId, DateTimeOffset? at)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        await db.Computers.Where(c => c.Id == computerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInventoryAt, at));
    }
}
