using System.Net;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task HealthzAnswersOk()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentListsTheAgentAndAdminEndpoints()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/agent/v1/enroll", out _));
        Assert.True(paths.TryGetProperty("/api/v1/computers/{id}", out _));
    }

    [Theory]
    [InlineData("GET", "/no/such/thing", HttpStatusCode.NotFound, "not-found")]
    [InlineData("DELETE", "/healthz", HttpStatusCode.MethodNotAllowed, "validation-failed")]
    [InlineData("GET", "/api/v1/computers", HttpStatusCode.Unauthorized, "validation-failed")]
    public async Task FrameworkErrorsAreSignetProblemDetails(string method, string path, HttpStatusCode status, string code)
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.AssertProblemAsync(status, code);
    }

    [Theory]
    [InlineData("/api/v1/settings/security", "PUT")]
    [InlineData("/api/v1/invitations", "POST")]
    public async Task AdminBodyThatIsNotJsonIsRefusedAsUnsupportedMediaType(string path, string method)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("certificateBasedCommunication=true", System.Text.Encoding.UTF8, "text/plain"),
        });
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "validation-failed");
    }
}
