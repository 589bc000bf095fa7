using Microsoft.AspNetCore.Mvc.Testing;

namespace Signet.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task HealthzAnswersOk()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
