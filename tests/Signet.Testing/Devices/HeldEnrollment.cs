using System.Net;
using System.Security.Cryptography;

namespace Signet.Testing.Devices;

/// <summary>An enrollment the server holds for an administrator: the request id only its agent knows, and the new key
/// the certificate is issued to once approved.</summary>
public sealed class HeldEnrollment(string requestId, string udid, string hostname, AsymmetricAlgorithm key)
{
    public string RequestId { get; } = requestId;
    public string Udid { get; } = udid;
    public string Hostname { get; } = hostname;

    /// <summary>The agent's poll: 202 while waiting, 200 with the certificate once approved, 403 once denied.</summary>
    public Task<HttpResponseMessage> PollAsync(HttpClient client) => client.PollAsync(RequestId);

    /// <summary>Polls once, expects the certificate, and returns the computer as it now is: the new key, the new certificate.</summary>
    public async Task<TestDevice> ApprovedAsync(HttpClient client)
    {
        var response = await PollAsync(client);
        await KitExpectationException.EnsureAsync(response, "poll the approved request " + RequestId, HttpStatusCode.OK);
        return await TestDevice.FromCertificateResponseAsync(response, Udid, key, Hostname);
    }
}
