using System.Net;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;
using Signet.Server.Tests.Storage;

namespace Signet.Server.Tests;

public sealed class HealthTests
{
    [Theory, SqliteData, PostgresData]
    public async Task LiveAndReadyAnswerHealthyWithTheirChecks(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var client = node.CreateClient();

        var live = await HealthAsync(client, "/healthz/live", HttpStatusCode.OK);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateObject());
        foreach (var path in new[] { "/healthz/ready", "/healthz" })
        {
            var ready = await HealthAsync(client, path, HttpStatusCode.OK);
            var checks = ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order().ToArray();
            Assert.Equal(kind == DatabaseKind.PostgreSql ? ["cluster-events", "database", "replay-cache"] : ["database"], checks);
        }
    }

    [Theory, SqliteData]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ReadyTurns503WhenTheSqliteFileCannotBeOpenedAndRecovers(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var client = node.CreateClient();
        await HealthAsync(client, "/healthz/ready", HttpStatusCode.OK);
        var file = Path.Combine(database.DataDirectory, "signet.db");
        var aside = file + ".aside";

        // Root reads any file whatever its mode, so as root the file is taken away instead of made unreadable.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            File.Move(file, aside);
        }
        else
        {
            File.SetUnixFileMode(file, UnixFileMode.None);
        }

        try
        {
            var down = await HealthAsync(client, "/healthz/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unhealthy", down.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            await HealthAsync(client, "/healthz", HttpStatusCode.ServiceUnavailable);
            await HealthAsync(client, "/healthz/live", HttpStatusCode.OK);
        }
        finally
        {
            if (asRoot)
            {
                File.Move(aside, file);
            }
            else
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        await HealthAsync(client, "/healthz/ready", HttpStatusCode.OK);
    }

    [Theory, PostgresData]
    public async Task ReadyTurns503WhenPostgresIsUnreachableAndRecovers(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var client = node.CreateClient();
        await HealthAsync(client, "/healthz/ready", HttpStatusCode.OK);

        await database.SetReachableAsync(false);
        try
        {
            var down = await HealthAsync(client, "/healthz/ready", HttpStatusCode.ServiceUnavailable);
            var checks = down.GetProperty("checks");
            Assert.Equal("unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal("unhealthy", checks.GetProperty("replay-cache").GetProperty("status").GetString());
            Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), async () =>
                (await HealthAsync(client, "/healthz", null)).GetProperty("checks").GetProperty("cluster-events").GetProperty("status").GetString() == "unhealthy"));
            await HealthAsync(client, "/healthz/live", HttpStatusCode.OK);
        }
        finally
        {
            await database.SetReachableAsync(true);
        }

        // The listener reconnects after a second; the pool drops connections the outage broke.
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(20), async () =>
            (await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK));
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client, string path, HttpStatusCode? expected)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
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
