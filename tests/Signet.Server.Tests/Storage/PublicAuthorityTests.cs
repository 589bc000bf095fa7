using System.Net;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>Behind a load balancer that rewrites Host, <c>Signet:PublicAuthority</c> is what signatures are checked against.</summary>
public sealed class PublicAuthorityTests
{
    private static readonly Func<TamperingHandler> LoadBalancer = () =>
        new TamperingHandler(request => request.Headers.Host = "10.0.0.5:8080");

    [Theory]
    [InlineData("signet.example", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task SignatureForThePublicNameVerifiesOnlyWhenThatNameIsConfigured(string? publicAuthority, HttpStatusCode expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var node = database.NewNode(new Dictionary<string, string?> { ["Signet:PublicAuthority"] = publicAuthority });
        using var admin = await node.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await node.EnrollAsync(admin);
        using var client = node.SigningClient(device, afterSigning: LoadBalancer());
        client.DefaultRequestHeaders.Host = "signet.example";

        var response = await client.CheckInAsync();

        if (expected == HttpStatusCode.OK)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        else
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "signature-invalid");
        }
    }
}
