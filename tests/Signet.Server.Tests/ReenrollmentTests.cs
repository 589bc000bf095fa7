using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol.Wire;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>docs/lifecycle.md: who may enroll a UDID that is already enrolled, and what everyone else gets.</summary>
public sealed class ReenrollmentTests
{
    [Fact]
    public async Task GeneralInvitationForAKnownUdidIsHeldAndChangesNothing()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var real = factory.SigningClient(device);
        await real.CheckInOkAsync();
        var invitation = await admin.CreateInvitationAsync();

        using var attacker = factory.CreateClient();
        using var attackerKey = TestKeys.NewP256();
        var requestId = await attacker.HoldAsync(invitation, attackerKey, device.Udid);

        await real.CheckInOkAsync();
        var computer = await admin.GetComputerAsync(device.ComputerId);
        Assert.Equal(device.Certificate.SerialNumber, computer.GetProperty("certificate").GetProperty("serialNumber").GetString());
        Assert.Equal("host-" + device.Udid[..8], computer.GetProperty("hostname").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await attacker.PollAsync(requestId)).StatusCode);
        // Holding a request does not spend the invitation.
        var invitations = await admin.GetFromJsonAsync<JsonElement>("/api/v1/invitations");
        Assert.Equal(1, invitations.EnumerateArray().Sum(i => i.GetProperty("usesRemaining").GetInt32()));

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var held = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "enrollment.held");
        Assert.Equal(device.ComputerId, held.GetProperty("subject").GetString());
        Assert.Contains("source=", held.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains($"request={requestId}", held.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameKeyAgainGetsTheSameHeldRequest()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();

        var first = await client.HoldAsync(invitation, key, device.Udid);
        var again = await client.HoldAsync(invitation, key, device.Udid);

        Assert.Equal(first, again);
        using var scope = factory.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<SignetDbContext>().EnrollmentRequests.CountAsync());
    }

    [Fact]
    public async Task PendingListShowsTheEvidenceSideBySide()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using (var real = factory.SigningClient(device))
        {
            await real.CheckInOkAsync();
        }

        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var requestId = await client.HoldAsync(await admin.CreateInvitationAsync(), key, device.Udid);

        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/v1/enrollment-requests?status=pending");
        var request = Assert.Single(pending.EnumerateArray());
        Assert.Equal(requestId, request.GetProperty("id").GetString());
        Assert.Equal("pending", request.GetProperty("status").GetString());
        Assert.Equal(device.Udid, request.GetProperty("udid").GetString());
        Assert.False(string.IsNullOrEmpty(request.GetProperty("sourceAddress").GetString()));
        var existing = request.GetProperty("computer");
        Assert.Equal(device.ComputerId, existing.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.String, existing.GetProperty("lastContactAt").ValueKind);
        Assert.Equal(JsonValueKind.String, existing.GetProperty("lastContactAddress").ValueKind);
        Assert.Equal("valid", existing.GetProperty("lastSignatureOutcome").GetString());
        await (await admin.GetAsync(new Uri("/api/v1/enrollment-requests?status=bogus", UriKind.Relative)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task DeniedRequestIsToldSoAndTheComputerKeepsWorking()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var requestId = await client.HoldAsync(await admin.CreateInvitationAsync(), key, device.Udid);

        Assert.Equal(HttpStatusCode.OK, (await admin.DecideAsync(requestId, "deny")).StatusCode);

        await (await client.PollAsync(requestId)).AssertProblemAsync(HttpStatusCode.Forbidden, "enrollment-denied");
        await (await admin.DecideAsync(requestId, "approve")).AssertProblemAsync(HttpStatusCode.Conflict, "validation-failed");
        await (await client.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(key), device.Udid))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "enrollment-denied");
        using var real = factory.SigningClient(device);
        await real.CheckInOkAsync();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "enrollment.denied");
    }

    [Fact]
    public async Task ApprovalIssuesToTheHeldKeyAndEndsTheOldCertificateAsSuperseded()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var real = factory.SigningClient(device);
        await real.CheckInOkAsync();
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var requestId = await client.HoldAsync(await admin.CreateInvitationAsync(), key, device.Udid);

        Assert.Equal(HttpStatusCode.OK, (await admin.DecideAsync(requestId, "approve")).StatusCode);

        var poll = await client.PollAsync(requestId);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var body = (await poll.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        Assert.Equal(device.ComputerId, body.ComputerId);
        var certificate = DeviceClients.CertificateFromPem(body.Certificate);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        using var successor = factory.SigningClient(device with { Certificate = certificate, Key = key });
        await successor.CheckInOkAsync();

        // The replaced computer is told another enrollment took its place, not that an administrator revoked it.
        var refused = await (await real.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        Assert.Equal("superseded", refused.GetProperty("certificateStatus").GetString());
        Assert.Contains("later enrollment", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var approved = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "enrollment.approved");
        Assert.Contains($"oldSerials={device.Certificate.SerialNumber}", approved.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains($"newSerial={certificate.SerialNumber}", approved.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyRequestsAreDecidedAtOnceEachOnItsOwn()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var first = await factory.EnrollAsync(admin);
        var second = await factory.EnrollAsync(admin);
        using var client = factory.CreateClient();
        var a = await client.HoldAsync(null, TestKeys.NewP256(), first.Udid);
        var b = await client.HoldAsync(null, TestKeys.NewP256(), second.Udid);
        var denied = await client.HoldAsync(null, TestKeys.NewP256(), second.Udid);
        Assert.Equal(HttpStatusCode.OK, (await admin.DecideAsync(denied, "deny")).StatusCode);

        var response = await admin.PostAsJsonAsync("/api/v1/enrollment-requests/approve", new { ids = new[] { a, b, denied, a, "nope" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("result").GetString());
        Assert.Equal(4, results.Count);
        Assert.Equal("approved", results[a]);
        Assert.Equal("already-decided", results[denied]);
        Assert.Equal("not-found", results["nope"]);
        // Different computers: approving one does not close the other's request.
        Assert.Equal("approved", results[b]);
        Assert.Equal(HttpStatusCode.OK, (await client.PollAsync(a)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PollAsync(b)).StatusCode);
        await (await admin.PostAsJsonAsync("/api/v1/enrollment-requests/deny", new { ids = Array.Empty<string>() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task EnrollmentSignedByTheCurrentCertificateCompletesAtOnce()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var signed = factory.SigningClient(device);
        using var key = TestKeys.NewP256();

        // No invitation needed: the signature proves it is the enrolled computer.
        var response = await signed.PostAsJsonAsync("/agent/v1/enroll",
            new EnrollRequest(null, TestKeys.Csr(key), new DeviceInfo(device.Udid, "C02NEW", "renamed", "Mac14,2", "macOS", "15.2")),
            SignetJson.Options);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        Assert.Equal(device.ComputerId, body.ComputerId);
        Assert.Equal("renamed", (await admin.GetComputerAsync(device.ComputerId)).GetProperty("hostname").GetString());
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var reenrolled = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "computer.reenrolled");
        Assert.Contains("reason=signed", reenrolled.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignatureOfAnotherComputerDoesNotCountAsTheComputersOwn()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var victim = await factory.EnrollAsync(admin);
        var other = await factory.EnrollAsync(admin);
        using var signedByOther = factory.SigningClient(other);
        using var key = TestKeys.NewP256();

        var response = await signedByOther.PostAsJsonAsync("/agent/v1/enroll",
            new EnrollRequest(await admin.CreateInvitationAsync(), TestKeys.Csr(key), new DeviceInfo(victim.Udid, null, "x", null, null, null)),
            SignetJson.Options);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task BoundInvitationReenrollsItsComputerAndNoOther()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        var other = await factory.EnrollAsync(admin);
        var bound = await admin.CreateReenrollmentInvitationAsync(device.ComputerId);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        using var stranger = TestKeys.NewP256();
        var stale = await client.HoldAsync(await admin.CreateInvitationAsync(), stranger, device.Udid);

        await (await client.PostEnrollAsync(bound, TestKeys.Csr(key), other.Udid)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await client.PostEnrollAsync(bound, TestKeys.Csr(key), TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        var response = await client.PostEnrollAsync(bound, TestKeys.Csr(key), device.Udid);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // A request still held for the computer can no longer be approved over the key that just proved itself.
        await (await client.PollAsync(stale)).AssertProblemAsync(HttpStatusCode.Forbidden, "enrollment-denied");
        await (await admin.DecideAsync(stale, "approve")).AssertProblemAsync(HttpStatusCode.Conflict, "validation-failed");

        // One use: a second key cannot follow through the same invitation.
        using var second = TestKeys.NewP256();
        await (await client.PostEnrollAsync(bound, TestKeys.Csr(second), device.Udid)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await admin.PostAsync(new Uri("/api/v1/computers/nope/reenrollment-invitation", UriKind.Relative), null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task BoundInvitationOfADeletedComputerEnrollsNothing()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        var bound = await admin.CreateReenrollmentInvitationAsync(device.ComputerId);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/computers/{device.ComputerId}", UriKind.Relative))).StatusCode);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();

        // The UDID is unknown again, and an invitation bound to a computer is no general invitation.
        await (await client.PostEnrollAsync(bound, TestKeys.Csr(key), device.Udid)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await client.PostEnrollAsync(new string('x', 129), TestKeys.Csr(key), device.Udid)).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
    }

    [Fact]
    public async Task WithReenrollmentByInvitationAGeneralInvitationCompletes()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        var put = await admin.PutAsJsonAsync("/api/v1/settings/security", new { reenrollment = "invitation" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await (await admin.PutAsJsonAsync("/api/v1/settings/security", new { reenrollment = "sometimes" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var response = await client.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(key), device.Udid);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(device.ComputerId, (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!.ComputerId);
    }

    [Fact]
    public async Task RecoveryWithoutInvitationIsHeldForAKnownUdidAndRefusedForAnUnknownOne()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();

        await client.HoldAsync(invitation: null, key, device.Udid);
        await (await client.PostEnrollAsync(null, TestKeys.Csr(key), TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/v1/enrollment-requests?status=pending");
        Assert.Equal(JsonValueKind.Null, Assert.Single(pending.EnumerateArray()).GetProperty("invitationId").ValueKind);
    }

    [Fact]
    public async Task HeldRequestsLapseAfterSevenDaysAndAreBoundedInNumber()
    {
        await using var factory = new SignetFactory(settings: new()
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
            ["Signet:Lifecycle:MaximumPendingRequests"] = "2",
        });
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.CreateClient();
        var first = await client.HoldAsync(null, TestKeys.NewP256(), device.Udid);
        await client.HoldAsync(null, TestKeys.NewP256(), device.Udid);

        await (await client.PostEnrollAsync(null, TestKeys.Csr(TestKeys.NewP256()), device.Udid))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        factory.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var freshAdmin = await factory.AdminClientAsync();
        await (await client.PollAsync(first)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await freshAdmin.DecideAsync(first, "approve")).AssertProblemAsync(HttpStatusCode.Conflict, "validation-failed");
        Assert.Equal(2, (await freshAdmin.GetFromJsonAsync<JsonElement>("/api/v1/enrollment-requests?status=expired")).GetArrayLength());
        // Lapsed requests no longer count against the limit.
        await client.HoldAsync(null, TestKeys.NewP256(), device.Udid);
        await (await client.PollAsync(new string('0', 32))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await client.PollAsync("short")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task RepeatedEnrollmentWithTheSameKeyReturnsTheSameCertificateWithoutASecondUse()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 1);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var udid = TestKeys.NewUdid();

        var first = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid);
        var retry = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid); // the invitation is used up by now

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var a = (await first.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        var b = (await retry.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        Assert.Equal(a.ComputerId, b.ComputerId);
        Assert.Equal(a.Certificate, b.Certificate);
        using var scope = factory.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<SignetDbContext>().IssuedCertificates.CountAsync());
    }

    [Fact]
    public async Task DeletedComputerIsRefusedListedOnTheCrlAndItsUdidEnrollsAsNew()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var real = factory.SigningClient(device);
        await real.CheckInOkAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/computers/{device.ComputerId}", UriKind.Relative))).StatusCode);

        var refused = await (await real.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        Assert.Equal("revoked", refused.GetProperty("certificateStatus").GetString());
        await (await admin.GetAsync(new Uri($"/api/v1/computers/{device.ComputerId}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/v1/computers")).EnumerateArray());
        await (await admin.DeleteAsync(new Uri($"/api/v1/computers/{device.ComputerId}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var crl = System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.Load(
            await factory.CreateClient().GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative)), out _);
        Assert.True(crl.RemoveEntry(Convert.FromHexString(device.Certificate.SerialNumber)));

        var again = await factory.EnrollAsync(admin, udid: device.Udid);
        Assert.NotEqual(device.ComputerId, again.ComputerId);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var deleted = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "computer.deleted");
        Assert.Contains(device.Certificate.SerialNumber, deleted.GetProperty("details").GetString(), StringComparison.Ordinal);
    }
}
