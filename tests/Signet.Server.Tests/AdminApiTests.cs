using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class AdminApiTests
{
    [Fact]
    public async Task WrongPasswordIsRefusedAndRepeatedFailuresLockTheAccount()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "wrong password" });
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        }

        var locked = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = SignetFactory.AdminPassword });
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        factory.Time.Advance(TimeSpan.FromMinutes(16));
        using var admin = await factory.AdminClientAsync();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Equal(5, audit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "admin.login.failed"));
    }

    [Fact]
    public async Task UnknownUserGetsTheSameAnswerAsAWrongPassword()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "nobody", password = "whatever1" });
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
    }

    [Fact]
    public async Task TokensExpireAndForgedTokensAreRefused()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/v1/computers", UriKind.Relative))).StatusCode);

        factory.Time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        var expired = await admin.GetAsync(new Uri("/api/v1/computers", UriKind.Relative));
        await expired.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        Assert.Equal("Bearer", expired.Headers.WwwAuthenticate.ToString());

        using var forged = factory.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "made-up");
        await (await forged.GetAsync(new Uri("/api/v1/settings/security", UriKind.Relative)))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
    }

    [Fact]
    public async Task SecuritySettingsDefaultsAndChangesAreAuditedWithOldAndNewValues()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/security");
        Assert.False(settings.GetProperty("certificateBasedCommunication").GetBoolean());
        Assert.Equal(300, settings.GetProperty("maximumClockSkewSeconds").GetInt32());
        Assert.Equal(365, settings.GetProperty("deviceCertificateLifetimeDays").GetInt32());
        Assert.Equal("approval", settings.GetProperty("reenrollment").GetString());
        Assert.False(settings.GetProperty("requireHardwareKeys").GetBoolean());
        Assert.Equal(5, settings.EnumerateObject().Count());

        var put = await admin.PutAsJsonAsync("/api/v1/settings/security",
            new { certificateBasedCommunication = true, maximumClockSkewSeconds = 60, deviceCertificateLifetimeDays = 30 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/security");
        Assert.True(settings.GetProperty("certificateBasedCommunication").GetBoolean());
        Assert.Equal(60, settings.GetProperty("maximumClockSkewSeconds").GetInt32());

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var change = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "settings.security.changed");
        Assert.Equal("admin", change.GetProperty("actor").GetString());
        var details = change.GetProperty("details").GetString()!;
        Assert.Contains("maximumClockSkewSeconds=300 → 60", details, StringComparison.Ordinal);
        Assert.DoesNotContain("{", details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 365, "maximumClockSkewSeconds")]
    [InlineData(3601, 365, "maximumClockSkewSeconds")]
    [InlineData(300, 0, "deviceCertificateLifetimeDays")]
    [InlineData(300, 3651, "deviceCertificateLifetimeDays")]
    public async Task OutOfRangeSettingsAreRefusedPerField(int skew, int lifetime, string field)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var response = await admin.PutAsJsonAsync("/api/v1/settings/security",
            new { certificateBasedCommunication = true, maximumClockSkewSeconds = skew, deviceCertificateLifetimeDays = lifetime });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/security");
        Assert.False(settings.GetProperty("certificateBasedCommunication").GetBoolean());
    }

    [Fact]
    public async Task MalformedAdminJsonIsAClearProblem()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        using var content = new StringContent("{\"maximumClockSkewSeconds\": \"lots\"", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PutAsync(new Uri("/api/v1/settings/security", UriKind.Relative), content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task InvitationsAreListedWithoutTheirCodeAndCanBeDeletedByCodeOrId()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/invitations", new { });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = body.GetProperty("code").GetString()!;
        Assert.Equal(1, body.GetProperty("uses").GetInt32());
        Assert.Equal(factory.Time.GetUtcNow().AddDays(7), body.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(16, System.Buffers.Text.Base64Url.DecodeFromChars(code).Length);
        var second = await admin.CreateInvitationAsync(uses: 5);

        var listing = await admin.GetStringAsync(new Uri("/api/v1/invitations", UriKind.Relative));
        Assert.DoesNotContain(code, listing, StringComparison.Ordinal);
        var invitations = JsonDocument.Parse(listing).RootElement;
        Assert.Equal(2, invitations.GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/invitations/{code}", UriKind.Relative))).StatusCode);
        var remaining = await admin.GetFromJsonAsync<JsonElement>("/api/v1/invitations");
        var id = remaining.EnumerateArray().Single().GetProperty("id").GetString();
        Assert.Equal(5, remaining.EnumerateArray().Single().GetProperty("usesRemaining").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/invitations/{id}", UriKind.Relative))).StatusCode);
        await (await admin.DeleteAsync(new Uri($"/api/v1/invitations/{second}", UriKind.Relative)))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        await (await client.PostEnrollAsync(code, TestKeys.Csr(key), TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task InvitationWithBadUsesIsRefused(int uses)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/invitations", new { uses });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task ComputersCanBeListedSearchedAndPaged()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var a = await factory.EnrollAsync(admin);
        var b = await factory.EnrollAsync(admin);
        var c = await factory.EnrollAsync(admin);

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/v1/computers");
        Assert.Equal(3, all.GetArrayLength());
        var first = all.EnumerateArray().First();
        foreach (var name in new[] { "id", "udid", "serialNumber", "hostname", "model", "osName", "osVersion", "enrolledAt", "lastContactAt",
            "lastInventoryAt", "certificate", "lastSignature" })
        {
            Assert.True(first.TryGetProperty(name, out _), name);
        }

        foreach (var name in new[] { "serialNumber", "thumbprint", "subject", "notBefore", "notAfter", "status" })
        {
            Assert.True(first.GetProperty("certificate").TryGetProperty(name, out _), name);
        }

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/computers?search={b.Udid[..8]}");
        Assert.Equal(b.ComputerId, found.EnumerateArray().Single().GetProperty("id").GetString());
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/computers?skip=1&take=1");
        Assert.Equal(1, page.GetArrayLength());

        var one = await admin.GetComputerAsync(c.ComputerId);
        Assert.Equal(c.Udid, one.GetProperty("udid").GetString());
        Assert.Equal(Protocol.Device.KeyIds.FromCertificate(c.Certificate.RawData), one.GetProperty("certificate").GetProperty("thumbprint").GetString());
        Assert.Equal(a.Certificate.Subject, (await admin.GetComputerAsync(a.ComputerId)).GetProperty("certificate").GetProperty("subject").GetString());
        await (await admin.GetAsync(new Uri("/api/v1/computers/nope", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task RevokingTwiceOrAnUnknownComputerIsAClearProblem()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        var uri = new Uri($"/api/v1/computers/{device.ComputerId}/revoke-certificate", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(uri, null)).StatusCode);
        await (await admin.PostAsync(uri, null)).AssertProblemAsync(HttpStatusCode.Conflict, "validation-failed");
        await (await admin.PostAsync(new Uri("/api/v1/computers/unknown/revoke-certificate", UriKind.Relative), null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task AuditCanBeReadAfterAnInstantNewestFirst()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await factory.EnrollAsync(admin);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var middle = factory.Time.GetUtcNow();
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await admin.SetSecurityAsync(true);

        var all = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().ToList();
        Assert.True(all.Count >= 3);
        var times = all.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);

        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?after={Uri.EscapeDataString(middle.ToString("O"))}");
        Assert.Equal("settings.security.changed", after.EnumerateArray().Single().GetProperty("action").GetString());
        await (await admin.GetAsync(new Uri("/api/v1/audit?after=yesterday", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}
