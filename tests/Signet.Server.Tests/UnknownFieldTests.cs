using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>Admin bodies refuse fields the server does not know (a misspelt setting is never silently ignored); agent
/// bodies stay tolerant so an older server serves a newer agent.</summary>
public sealed class UnknownFieldTests
{
    [Theory]
    [InlineData("POST", "/api/v1/invitations", """{"uses": 2, "expiresInDays": 1}""", "expiresInDays")]
    [InlineData("PUT", "/api/v1/settings/security", """{"certificateBasedCommunication": true, "maxClockSkew": 5}""", "maxClockSkew")]
    [InlineData("POST", "/api/v1/enrollment-requests/approve", """{"ids": [], "all": true}""", "all")]
    [InlineData("POST", "/api/v1/enrollment-requests/deny", """{"requestIds": ["x"]}""", "requestIds")]
    public async Task UnknownAdminFieldIsRefusedNamingItAndChangesNothing(string method, string path, string body, string field)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var before = await admin.GetStringAsync(new Uri("/api/v1/settings/security", UriKind.Relative));

        var response = await admin.SendAsync(JsonRequest(method, path, body));

        await AssertUnknownFieldAsync(response, field);
        Assert.Equal(before, await admin.GetStringAsync(new Uri("/api/v1/settings/security", UriKind.Relative)));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/v1/invitations")).EnumerateArray());
    }

    [Fact]
    public async Task UnknownFieldInLoginIsRefusedNamingIt()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var response = await client.SendAsync(JsonRequest("POST", "/api/v1/auth/token",
            $$"""{"username": "admin", "password": "{{SignetFactory.AdminPassword}}", "remember": true}"""));
        await AssertUnknownFieldAsync(response, "remember");
    }

    /// <summary>Walks the API description so an admin endpoint added later is covered without a new row.</summary>
    [Fact]
    public async Task EveryAdminOperationWithABodyRefusesAnUnknownField()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var document = await admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var checkedOperations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("requestBody", out _)))
            {
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", "no-such-id");
                var response = await admin.SendAsync(JsonRequest(operation.Name.ToUpperInvariant(), url, """{"signetNoSuchField": 1}"""));
                await AssertUnknownFieldAsync(response, "signetNoSuchField");
                checkedOperations++;
            }
        }

        Assert.True(checkedOperations >= 5, $"only {checkedOperations} admin operations take a body");
    }

    [Fact]
    public async Task WrongTypeInAnAdminBodyNamesTheField()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var response = await admin.SendAsync(JsonRequest("POST", "/api/v1/invitations", """{"uses": "many"}"""));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains("'uses'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("uses", out _));
    }

    [Fact]
    public async Task AgentEnrollmentWithAFieldFromANewerAgentIsServed()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        var csr = JsonSerializer.Serialize(TestKeys.Csr(TestKeys.NewP256()));
        var response = await client.SendAsync(JsonRequest("POST", "/agent/v1/enroll", $$$"""
            {"invitation": "{{{invitation}}}", "csr": {{{csr}}}, "futureField": 1,
             "device": {"udid": "{{{TestKeys.NewUdid()}}}", "serialNumber": "C02TEST", "hostname": "h", "model": "m",
                        "osName": "macOS", "osVersion": "15.1", "futureDeviceField": "x"}}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static HttpRequestMessage JsonRequest(string method, string path, string body) =>
        new(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static async Task AssertUnknownFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains($"'{field}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("Signet.Server", problem.ToString(), StringComparison.Ordinal);
    }
}
