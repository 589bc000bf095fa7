using System.Net;
using System.Net.Http.Json;
using Signet.Protocol.Wire;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>The enrollment limit counts failed attempts per address, and serves a request that proves itself even past
/// it: one guesser behind an office's address cannot block the office's computers.</summary>
public sealed class EnrollmentLimitTests
{
    private const string Office = "198.51.100.20";

    private static SignetFactory Limited(int failuresPerMinute) => new(settings: new()
    {
        ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
        ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
        ["Signet:Enrollment:PermitsPerMinute"] = failuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static Task<HttpResponseMessage> GuessAsync(HttpClient client) =>
        client.PostEnrollAsync(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            TestKeys.Csr(TestKeys.NewP256()), TestKeys.NewUdid());

    [Fact]
    public async Task AGuesserIsLimitedButAValidEnrollmentFromTheSameAddressSucceeds()
    {
        await using var factory = Limited(5);
        using var admin = await factory.AdminClientAsync();
        using var guesser = factory.ClientFrom(Office);
        for (var i = 0; i < 5; i++)
        {
            await (await GuessAsync(guesser)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        }

        for (var i = 0; i < 20; i++)
        {
            var limited = await GuessAsync(guesser);
            await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }

        using var colleague = factory.ClientFrom(Office);
        var valid = await colleague.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(TestKeys.NewP256()), TestKeys.NewUdid());
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);

        await (await GuessAsync(guesser)).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        // Another address is not affected by the office's guesser.
        using var elsewhere = factory.ClientFrom("203.0.113.9");
        await (await GuessAsync(elsewhere)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
    }

    [Fact]
    public async Task SuccessesDoNotCountAgainstAnAddress()
    {
        await using var factory = Limited(2);
        using var admin = await factory.AdminClientAsync();
        using var office = factory.ClientFrom(Office);
        for (var i = 0; i < 6; i++)
        {
            var response = await office.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(TestKeys.NewP256()), TestKeys.NewUdid());
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await (await GuessAsync(office)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await GuessAsync(office)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await GuessAsync(office)).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task HeldRequestsDoNotCountAndARealRequestIdIsAnsweredPastTheLimit()
    {
        await using var factory = Limited(2);
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var office = factory.ClientFrom(Office);
        var held = "";
        for (var i = 0; i < 4; i++)
        {
            held = await office.HoldAsync(await admin.CreateInvitationAsync(), TestKeys.NewP256(), device.Udid);
        }

        var unknown = new string('0', 32);
        await (await office.PollAsync(unknown)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await office.PollAsync(unknown)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await office.PollAsync(unknown)).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        Assert.Equal(HttpStatusCode.Accepted, (await office.PollAsync(held)).StatusCode);
    }

    [Fact]
    public async Task AReenrollmentSignedByTheCurrentCertificateIsServedPastTheLimit()
    {
        await using var factory = Limited(1);
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        // In-process clients all come from one (unknown) address: the signing client below shares it.
        using var guesser = factory.CreateClient();
        await (await GuessAsync(guesser)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await GuessAsync(guesser)).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        using var signed = factory.SigningClient(device);
        var response = await signed.PostAsJsonAsync("/agent/v1/enroll",
            new EnrollRequest(null, TestKeys.Csr(TestKeys.NewP256()), new DeviceInfo(device.Udid, "C02TEST", "host", "Mac14,2", "macOS", "15.2")),
            SignetJson.Options);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
