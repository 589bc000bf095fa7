using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>Every refusal of docs/protocol.md, with certificate-based communication on (401 + code) and off (served,
/// outcome recorded on the computer).</summary>
public sealed class DeviceAuthenticationTests
{
    public static TheoryData<string, bool> Refusals()
    {
        var data = new TheoryData<string, bool>();
        foreach (var code in new[]
        {
            "signature-required", "signature-malformed", "signature-invalid", "digest-mismatch", "replayed", "clock-skew-ahead",
            "clock-skew-behind", "unknown-key", "certificate-expired", "certificate-revoked", "superseded-by-reenrollment",
            "renewal-grace-over", "device-mismatch",
        })
        {
            data.Add(code, true);
            data.Add(code, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task RefusalIsEnforcedOnlyWhenTheSettingIsOn(string scenario, bool enforce)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var (send, code, computerId) = await ArrangeAsync(scenario, factory, admin);
        using var freshAdmin = await factory.AdminClientAsync(); // the clock may have passed the first token's expiry
        await freshAdmin.SetSecurityAsync(enforce);

        var response = await send();

        if (enforce)
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, code);
            Assert.Equal("Signature", response.Headers.WwwAuthenticate.ToString());
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            // Served, and told how the signature was judged: the agent warns that it would be refused.
            var served = await response.Content.ReadFromJsonAsync<CheckInResponse>(SignetJson.Options);
            Assert.Equal(code, served!.Signature);
        }

        var computer = await freshAdmin.GetComputerAsync(computerId);
        Assert.Equal(code, computer.GetProperty("lastSignature").GetProperty("outcome").GetString());
    }

    /// <summary>Sets up one scenario; returns the request to make, the expected code and the computer it concerns.</summary>
    private static async Task<(Func<Task<HttpResponseMessage>> Send, string Code, string ComputerId)> ArrangeAsync(
        string scenario, SignetFactory factory, HttpClient admin)
    {
        switch (scenario)
        {
            case "signature-required":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.UnsignedClient(device.Udid);
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "signature-malformed":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(device, afterSigning: new TamperingHandler(r =>
                {
                    r.Headers.Remove(SignetHeaders.Signature);
                    r.Headers.TryAddWithoutValidation(SignetHeaders.Signature, "sig1=:not base64 at all!:");
                }));
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "signature-invalid":
            {
                var device = await factory.EnrollAsync(admin);
                using var other = TestKeys.NewP256();
                var forged = RequestSigningKey.Create(KeyIds.FromCertificate(device.Certificate.RawData), SignatureAlgorithm.EcdsaP256Sha256,
                    ECDsa.Create(other.ExportParameters(true)));
                var client = factory.SigningClient(device, key: forged);
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "digest-mismatch":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(device, afterSigning: new TamperingHandler(r =>
                    r.Content = JsonContent.Create(new CheckInRequest("9.9.9-altered"), options: SignetJson.Options)));
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "replayed":
            {
                var device = await factory.EnrollAsync(admin);
                var capture = new CapturingHandler();
                using (var client = factory.SigningClient(device, afterSigning: capture))
                {
                    await client.CheckInOkAsync();
                }

                var raw = factory.CreateClient();
                return (() => raw.SendAsync(capture.Replay()), scenario, device.ComputerId);
            }

            case "clock-skew-ahead" or "clock-skew-behind":
            {
                var device = await factory.EnrollAsync(admin);
                var offset = TimeSpan.FromSeconds(scenario == "clock-skew-ahead" ? 301 : -301);
                var client = factory.SigningClient(device, clock: new FakeTimeProvider(factory.Time.GetUtcNow() + offset));
                return (() => client.CheckInAsync(), "clock-skew", device.ComputerId);
            }

            case "unknown-key":
            {
                var device = await factory.EnrollAsync(admin);
                var stranger = TestKeys.NewP256();
                var request = new CertificateRequest("CN=" + device.Udid, stranger, HashAlgorithmName.SHA256);
                using var selfSigned = request.CreateSelfSigned(factory.Time.GetUtcNow().AddDays(-1), factory.Time.GetUtcNow().AddDays(1));
                var client = factory.SigningClient(device.Udid, RequestSigningKey.ForDevice(selfSigned, stranger));
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "certificate-expired":
            {
                await admin.SetSecurityAsync(false, deviceCertificateLifetimeDays: 1);
                var device = await factory.EnrollAsync(admin);
                factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
                var client = factory.SigningClient(device);
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "certificate-revoked":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(device);
                await client.CheckInOkAsync(); // the key is now cached: revocation must reach the cache
                (await admin.PostAsync(new Uri($"/api/v1/computers/{device.ComputerId}/revoke-certificate", UriKind.Relative), null))
                    .EnsureSuccessStatusCode();
                return (() => client.CheckInAsync(), scenario, device.ComputerId);
            }

            case "superseded-by-reenrollment":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(device);
                await client.CheckInOkAsync();
                await factory.ReenrollAsync(admin, device);
                return (() => client.CheckInAsync(), "certificate-revoked", device.ComputerId);
            }

            case "renewal-grace-over":
            {
                var device = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(device);
                using var newKey = TestKeys.NewP256();
                var renewal = await client.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(newKey)), SignetJson.Options);
                Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
                var renewed = (await renewal.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!;
                using var successor = factory.SigningClient(device with { Certificate = DeviceClients.CertificateFromPem(renewed.Certificate), Key = newKey });
                await successor.CheckInOkAsync(); // the first use of the new certificate starts the old one's grace
                factory.Time.Advance(TimeSpan.FromMinutes(5));
                await client.CheckInOkAsync(); // within the grace period the old key still works
                factory.Time.Advance(TimeSpan.FromMinutes(6));
                return (() => client.CheckInAsync(), "certificate-revoked", device.ComputerId);
            }

            case "device-mismatch":
            {
                var a = await factory.EnrollAsync(admin);
                var b = await factory.EnrollAsync(admin);
                var client = factory.SigningClient(a, udid: b.Udid);
                return (() => client.CheckInAsync(), scenario, b.ComputerId);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(scenario));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReplayCacheThatCannotAnswerIsAnOutageNotAReplay(bool enforce)
    {
        await using var factory = new SignetFactory(settings: new()
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
            ["Signet:DeviceAuthentication:NonceCapacity"] = "1000",
        });
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(enforce);
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        await client.CheckInOkAsync();
        // A flood of live nonces fills the one-node cache: it can no longer tell a replay from a first use.
        var nonces = factory.Services.GetRequiredService<INonceStore>();
        var until = factory.Time.GetUtcNow().AddMinutes(10);
        for (var i = 0; i < 1_000; i++)
        {
            await nonces.RecordAsync("flood" + i, until, default);
        }

        var response = await client.CheckInAsync();

        if (enforce)
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
            Assert.Contains("replay cache is unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // An outage is the server's, not the computer's: its last outcome stays the valid one, and no refusal is audited.
        var computer = await admin.GetComputerAsync(device.ComputerId);
        Assert.Equal("valid", computer.GetProperty("lastSignature").GetProperty("outcome").GetString());
        var audit = await admin.GetStringAsync(new Uri("/api/v1/audit", UriKind.Relative));
        Assert.DoesNotContain("service-unavailable", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public async Task SignatureExactlyAtTheSkewBoundaryIsAccepted(int seconds)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        // created travels in whole seconds: start the server clock on a whole second so the boundary is exact.
        factory.Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (factory.Time.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond)));
        using var client = factory.SigningClient(device, clock: new FakeTimeProvider(factory.Time.GetUtcNow().AddSeconds(seconds)));
        await client.CheckInOkAsync();
    }

    [Fact]
    public async Task ValidSignatureIsAcceptedAndRecorded()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);

        var checkIn = await client.CheckInOkAsync();

        Assert.Equal(device.ComputerId, checkIn.ComputerId);
        Assert.Equal("valid", checkIn.Signature);
        var computer = await admin.GetComputerAsync(device.ComputerId);
        Assert.Equal("valid", computer.GetProperty("lastSignature").GetProperty("outcome").GetString());
        Assert.Equal(factory.Time.GetUtcNow(), computer.GetProperty("lastContactAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task RsaDeviceKeysSignWithPss()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin, TestKeys.Rsa(3));
        using var client = factory.SigningClient(device);
        await client.CheckInOkAsync();
    }

    [Fact]
    public async Task UnsignedRequestFromAnUnknownComputerIsNotEnrolled()
    {
        await using var factory = new SignetFactory();
        using var client = factory.UnsignedClient(TestKeys.NewUdid());
        await (await client.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "not-enrolled");
        using var anonymous = factory.CreateClient();
        await (await anonymous.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "not-enrolled");
    }

    [Fact]
    public async Task RenewalAlwaysNeedsAValidSignature()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.UnsignedClient(device.Udid);
        using var key = TestKeys.NewP256();

        var response = await client.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(key)), SignetJson.Options);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "signature-required");
        await client.CheckInOkAsync(); // while the other endpoints are served on Signet-Device
    }

    [Fact]
    public async Task SettingChangeAppliesToTheVeryNextRequest()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.UnsignedClient(device.Udid);
        await client.CheckInOkAsync();
        await admin.SetSecurityAsync(true);
        await (await client.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "signature-required");
        await admin.SetSecurityAsync(false);
        await client.CheckInOkAsync();
    }

    [Fact]
    public async Task RefusedRequestsAreAuditedOncePerComputerCodeAndMinute()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var client = factory.UnsignedClient(device.Udid);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.CheckInAsync()).StatusCode);
        }

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        await (await client.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "signature-required");
        audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");

        var refusals = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "agent.requests.refused").ToList();
        var row = Assert.Single(refusals);
        Assert.Equal(device.ComputerId, row.GetProperty("subject").GetString());
        Assert.Contains("code=signature-required; count=4", row.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACopiedKeychainsRefusalIsFiledUnderTheComputerWhoseKeyItUsesWithTheSourceAddress()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        // Another machine with this computer's keychain: a valid signature, but its own hardware UUID.
        using var copy = factory.SigningClient(device, udid: "UDID-OF-THE-COPY");
        await (await copy.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "not-enrolled");

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var row = Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "agent.requests.refused");
        Assert.Equal(device.ComputerId, row.GetProperty("subject").GetString());
        Assert.Contains("code=not-enrolled; count=1", row.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains("; source=", row.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnsignedRequestNamingNoComputerIsFiledUnderItsSourceAddress()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        using var stranger = factory.UnsignedClient("UDID-NOBODY-KNOWS");
        await (await stranger.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "not-enrolled");

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var row = Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "agent.requests.refused");
        var subject = row.GetProperty("subject").GetString();
        Assert.False(Guid.TryParse(subject, out _), $"filed under {subject}, not a computer");
        Assert.EndsWith($"source={subject}", row.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizeAgentBodyIsRefusedWith413()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        using var content = new StringContent("{\"collectedAt\":\"2026-01-01T00:00:00Z\",\"pad\":\"" + new string('x', 1_100_000) + "\"}",
            Encoding.UTF8, "application/json");
        await (await client.PostAsync(new Uri("/agent/v1/inventory", UriKind.Relative), content))
            .AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "validation-failed");
    }

    [Theory]
    [InlineData("{\"agentVersion\": ")]
    [InlineData("{}")]
    [InlineData("42")]
    public async Task MalformedAgentBodiesAreClearProblems(string body)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await (await client.PostAsync(new Uri("/agent/v1/checkin", UriKind.Relative), content))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}

public sealed class DeviceSignatureEventsTests
{
    [Fact]
    public async Task OutcomeEventSeesEveryDecision()
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<(string? ComputerId, string Outcome, bool Served)>();
        await using var factory = new SignetFactory();
        await using var observed = factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
            Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.PostConfigure<Signet.Server.DeviceAuthentication.DeviceSignatureOptions>(
                services, "DeviceSignature", o => o.Events.OnOutcome = c =>
                {
                    outcomes.Enqueue((c.ComputerId, c.Outcome, c.Served));
                    return Task.CompletedTask;
                })));
        using var admin = await observed.CreateClient().LoginAsync(SignetFactory.AdminPassword);
        var device = await EnrollViaAsync(observed, admin);
        using var unsigned = observed.CreateClient();
        unsigned.DefaultRequestHeaders.Add(SignetHeaders.SignetDevice, device.Udid);
        await unsigned.CheckInOkAsync();
        await admin.SetSecurityAsync(true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unsigned.CheckInAsync()).StatusCode);

        Assert.Equal(
            [(device.ComputerId, "signature-required", true), (device.ComputerId, "signature-required", false)],
            outcomes.ToArray());
    }

    private static async Task<TestDevice> EnrollViaAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, HttpClient admin)
    {
        var invitation = await admin.CreateInvitationAsync();
        using var key = TestKeys.NewP256();
        var udid = TestKeys.NewUdid();
        using var client = factory.CreateClient();
        var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new TestDevice(body.ComputerId, udid, X509Certificate2.CreateFromPem(body.Certificate), key, body);
    }
}
