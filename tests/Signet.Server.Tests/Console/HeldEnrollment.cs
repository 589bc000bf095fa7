using System.Net;
using System.Security.Cryptography;

namespace Signet.Server.Tests.Console;

/// <summary>An enrollment the server holds for an administrator: the request id only its agent knows, and the new key
/// the certificate is issued to once approved. Shared with the browser tests, like <see cref="TestDevice"/>.</summary>
internal sealed class HeldEnrollment(string requestId, string udid, string hostname, ECDsa key)
{
    public string RequestId { get; } = requestId;
    public string Udid { get; } = udid;
    public string Hostname { get; } = hostname;

    /// <summary>The agent's poll: 202 while waiting, 200 with the certificate once approved, 403 once denied.</summary>
    public Task<HttpResponseMessage> PollAsync(HttpClient client) =>
        client.GetAsync(new Uri($"/agent/v1/enrollment-requests/{RequestId}", UriKind.Relative));

    /// <summary>Polls once, expects the certificate, and returns the computer as it now is: the new key, the new certificate.</summary>
    public async Task<TestDevice> ApprovedAsync(HttpClient client)
    {
        var response = await PollAsync(client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TestDevice.FromCertificateResponseAsync(response, Udid, Hostname, key);
    }
}
