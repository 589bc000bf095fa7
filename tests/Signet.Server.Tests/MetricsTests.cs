using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.Observability;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>Runs alone: a metrics pipeline listens to every meter of its name in the process, so servers that other
/// tests host at the same time would add their requests to these counts (one server per process in production).</summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class RunsAloneWithMetrics;

[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public async Task CountersMoveAfterARefusedAndAValidSignedRequest()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await factory.EnrollAsync(admin);
        const string valid = """signet_agent_requests_total{endpoint="checkin",problem="none",signature="valid"}""";
        const string refused = """signet_agent_requests_total{endpoint="checkin",problem="signature-required",signature="signature-required"}""";
        var before = await ScrapeAsync(admin);
        Assert.Equal(0, Value(before, valid));
        Assert.Equal(0, Value(before, refused));
        Assert.Equal(1, Value(before, """signet_enrollments_total{problem="none",result="completed"}"""));

        using (var unsigned = factory.UnsignedClient(device.Udid))
        {
            await (await unsigned.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "signature-required");
        }

        var afterRefused = await ScrapeAsync(admin, text => Value(text, refused) == 1);
        Assert.Equal(0, Value(afterRefused, valid));

        using var signed = factory.SigningClient(device);
        await signed.CheckInOkAsync();
        var afterValid = await ScrapeAsync(admin, text => Value(text, valid) == 1);
        Assert.Equal(1, Value(afterValid, refused));
        Assert.True(Value(afterValid, """signet_replay_cache_duration_seconds_count{outcome="recorded"}""") >= 1);
        Assert.True(Value(afterValid, """signet_database_duration_seconds_count{outcome="ok"}""") >= 1);
    }

    [Fact]
    public async Task LifecycleCountersAndGaugesFollowEnrollmentHoldAndRevocation()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using (var agent = factory.CreateClient())
        {
            await agent.HoldAsync(await admin.CreateInvitationAsync(), TestKeys.NewP256(), device.Udid);
            await (await agent.PostEnrollAsync("not-an-invitation", TestKeys.Csr(TestKeys.NewP256()), TestKeys.NewUdid()))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        }

        (await admin.PostAsync(new Uri($"/api/v1/computers/{device.ComputerId}/revoke-certificate", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var second = await factory.EnrollAsync(admin);
        await factory.Services.GetRequiredService<LifecycleGauges>().SampleAsync(CancellationToken.None);

        var text = await ScrapeAsync(admin, t => Value(t, """signet_revocations_total{reason="revoked"}""") == 1);
        Assert.Equal(2, Value(text, """signet_enrollments_total{problem="none",result="completed"}"""));
        Assert.Equal(1, Value(text, """signet_enrollments_total{problem="none",result="held"}"""));
        Assert.Equal(1, Value(text, """signet_enrollments_total{problem="invitation-invalid",result="refused"}"""));
        Assert.Equal(1, Value(text, """signet_enrollment_requests_pending"""));
        // The revoked certificate no longer counts; the second computer's expires in more than 90 days.
        Assert.Equal(1, Value(text, """signet_certificates{expires_within="more"}"""));
        Assert.Equal(0, Value(text, """signet_certificates{expires_within="7d"}"""));
        Assert.NotNull(second);
    }

    [Fact]
    public async Task AnAnonymousClientOffTheAllowedNetworksIsRefused()
    {
        await using var factory = new SignetFactory();
        using var anonymous = factory.CreateClient();
        // The in-process test server has no client address: neither loopback nor an allowed network.
        var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("signet_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentRequestsTraceCarriesTheComputerId()
    {
        var tagged = new List<(string? Path, string? ComputerId)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (tagged)
                {
                    tagged.Add((activity.GetTagItem("url.path") as string ?? activity.DisplayName, activity.GetTagItem("signet.computer.id") as string));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var signed = factory.SigningClient(device);

        await signed.CheckInOkAsync();

        // The hosting layer stops a request's activity after its response has reached the in-process client.
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(5), () =>
        {
            lock (tagged)
            {
                return Task.FromResult(tagged.Any(t => t.ComputerId == device.ComputerId));
            }
        }), "no agent request's trace carried the computer id");
    }

    /// <summary>Scrapes as an administrator until <paramref name="until"/> holds (the exporter caches a scrape briefly).</summary>
    private static async Task<string> ScrapeAsync(HttpClient admin, Func<string, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (until is null || until(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The sample named exactly <paramref name="series"/> (labels in the exporter's order, scope label left
    /// out), or 0 when the series was not exported yet.</summary>
    private static double Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var withoutScope = line.Replace("otel_scope_name=\"Signet.Server\",", "", StringComparison.Ordinal)
                .Replace("{otel_scope_name=\"Signet.Server\"}", "", StringComparison.Ordinal);
            var space = withoutScope.LastIndexOf(' ');
            if (space > 0 && withoutScope[..space] == series)
            {
                return double.Parse(withoutScope[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
