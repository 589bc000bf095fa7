using System.Net;
using Signet.Protocol;
using Signet.Testing.Admin;
using Signet.Testing.Devices;

namespace Signet.Testing.Hosting;

/// <summary>Clients of an in-process host: the administrator, a computer enrolled through the agent API, a peer address.</summary>
public static class SignetHostClients
{
    /// <summary>A client logged in as admin with <see cref="SignetHost.AdminPassword"/>.</summary>
    public static Task<HttpClient> AdminClientAsync(this SignetHost host) => host.CreateClient().LoginAsync(SignetHost.AdminPassword);

    /// <summary>Enrolls a new computer with a fresh invitation (a new P-256 key and UDID unless given).</summary>
    public static async Task<TestDevice> EnrollAsync(this SignetHost host, HttpClient admin, System.Security.Cryptography.AsymmetricAlgorithm? key = null,
        string? udid = null)
    {
        var invitation = await admin.CreateInvitationAsync();
        using var client = host.CreateClient();
        return await client.EnrollAsync(invitation, key, TestDevice.Describe(udid ?? TestKeys.NewUdid()));
    }

    /// <summary>Re-enrolls a known computer at once with a new key, through an invitation bound to it.</summary>
    public static async Task<TestDevice> ReenrollAsync(this SignetHost host, HttpClient admin, TestDevice device,
        System.Security.Cryptography.AsymmetricAlgorithm? key = null)
    {
        var invitation = await admin.CreateReenrollmentInvitationAsync(device.ComputerId);
        using var client = host.CreateClient();
        return await client.EnrollAsync(invitation, key, TestDevice.Describe(device.Udid));
    }

    /// <summary>A client that names the computer but does not sign.</summary>
    public static HttpClient UnsignedClient(this SignetHost host, string udid)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add(SignetHeaders.SignetDevice, udid);
        return client;
    }

    /// <summary>A client whose connection comes from <paramref name="address"/>, as a computer, an office's NAT or a load
    /// balancer in front of the server would be seen.</summary>
    public static HttpClient ClientFrom(this SignetHost host, string address, string baseAddress = "http://localhost/") =>
        new(host.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)))
        {
            BaseAddress = new Uri(baseAddress),
        };
}
