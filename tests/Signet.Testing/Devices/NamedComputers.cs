using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Testing.Devices;

/// <summary>Computers with a hostname and serial number of the test's choosing, as the console lists them, enrolled by a
/// client that holds the administrator's token separately (the console tests share one client with a cookie session).</summary>
public static class NamedComputers
{
    public const string Model = "TestBook1,1";

    public static DeviceInfo Describe(string udid, string hostname, string serial = "SERIAL", KeyProtection? keyProtection = null) =>
        TestDevice.Describe(udid, hostname, serial, Model, keyProtection);

    /// <summary>Creates a one-use general invitation with the admin API and returns its code.</summary>
    public static async Task<string> CreateInvitationAsync(HttpClient client, string adminToken)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/invitations", UriKind.Relative))
        {
            Content = JsonContent.Create(new { uses = 1 }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var created = await client.SendAsync(create);
        await KitExpectationException.EnsureAsync(created, "create an invitation", HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    /// <summary>Creates an invitation with the admin API and enrolls a new computer with it.</summary>
    public static async Task<TestDevice> EnrollAsync(HttpClient client, string adminToken, string udid, string hostname, string serial = "SERIAL") =>
        await EnrollWithCodeAsync(client, await CreateInvitationAsync(client, adminToken), udid, hostname, serial);

    public static Task<TestDevice> EnrollWithCodeAsync(HttpClient client, string code, string udid, string hostname, string serial = "SERIAL") =>
        client.EnrollAsync(code, TestKeys.NewP256(), Describe(udid, hostname, serial));

    /// <summary>Enrolls a known UDID again with a new key and a general invitation, which the server holds for an
    /// administrator (202) under the default <c>reenrollment</c> setting.</summary>
    public static async Task<HeldEnrollment> EnrollAgainHeldAsync(HttpClient client, string adminToken, string udid, string hostname,
        string serial = "SERIAL")
    {
        var key = TestKeys.NewP256();
        using var response = await PostEnrollAsync(client, await CreateInvitationAsync(client, adminToken), key, udid, hostname, serial);
        await KitExpectationException.EnsureAsync(response, "enroll " + udid + " again", HttpStatusCode.Accepted);
        var held = (await response.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!;
        return new HeldEnrollment(held.RequestId!, udid, hostname, key);
    }

    public static Task<HttpResponseMessage> PostEnrollAsync(HttpClient client, string code, AsymmetricAlgorithm key, string udid, string hostname,
        string serial, KeyProtection? keyProtection = null) =>
        client.PostEnrollAsync(code, TestKeys.Csr(key), Describe(udid, hostname, serial, keyProtection));
}
