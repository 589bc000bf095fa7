using System.Net;
using System.Text;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.ServerClient;

public sealed class AgentApiClientTests
{
    private static readonly Uri Server = new("https://signet.example.com");

    private static AgentApiClient ClientAnswering(HttpStatusCode status, string body, string contentType) =>
        new(new HttpClient(new Answer(status, body, contentType)) { BaseAddress = new Uri(Server, "/") }, new NextCommands(Server.AbsoluteUri.TrimEnd('/'), null));

    [Fact]
    public async Task ProblemDetailsBecomeTheCodesFailure()
    {
        using var client = ClientAnswering(HttpStatusCode.Unauthorized,
            """{"type":"urn:signet:problem:device-mismatch","title":"Device mismatch","status":401}""", "application/problem+json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() => client.CheckInAsync(new CheckInRequest("1.0"), CancellationToken.None));

        Assert.Equal(ExitCodes.SignatureRejected, failure.ExitCode);
        Assert.Equal(ProblemCode.DeviceMismatch, failure.Problem);
    }

    [Fact]
    public async Task InvitationRefusalWhileEnrollingExitsWithSix()
    {
        using var client = ClientAnswering(HttpStatusCode.BadRequest, """{"type":"urn:signet:problem:invitation-invalid"}""", "application/problem+json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() =>
            client.EnrollAsync(new EnrollRequest("x", "csr", new DeviceInfo("u", null, null, null, null, null)), CancellationToken.None));

        Assert.Equal(ExitCodes.EnrollmentRefused, failure.ExitCode);
    }

    [Fact]
    public async Task AnErrorPageWithoutProblemDetailsFallsBackToTheStatus()
    {
        using var client = ClientAnswering(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() => client.CheckInAsync(new CheckInRequest("1.0"), CancellationToken.None));

        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
        Assert.Contains("HTTP 502", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableSuccessIsAFailureNotAnException()
    {
        using var client = ClientAnswering(HttpStatusCode.OK, "{not json", "application/json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() => client.CheckInAsync(new CheckInRequest("1.0"), CancellationToken.None));

        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
    }

    [Fact]
    public async Task ReadsACheckInResponse()
    {
        using var client = ClientAnswering(HttpStatusCode.OK, """{"computerId":"c1","actions":["inventory"],"checkInIntervalSeconds":300}""", "application/json");

        var response = await client.CheckInAsync(new CheckInRequest("1.0"), CancellationToken.None);

        Assert.Equal("c1", response.ComputerId);
        Assert.Equal(["inventory"], response.Actions);
        Assert.Equal(300, response.CheckInIntervalSeconds);
    }

    [Fact]
    public async Task ReadsAHeldEnrollment()
    {
        using var client = ClientAnswering(HttpStatusCode.Accepted, """{"requestId":"r1","status":"pending","pollAfterSeconds":60}""", "application/json");

        var answer = await client.EnrollAsync(new EnrollRequest(null, "csr", new DeviceInfo("u", null, null, null, null, null)), CancellationToken.None);

        Assert.Null(answer.Completed);
        Assert.Equal("r1", answer.Held!.RequestId);
        Assert.Equal(60, answer.Held.PollAfterSeconds);
    }

    [Fact]
    public async Task AHeldEnrollmentWithoutARequestIdCannotBeFollowedUp()
    {
        using var client = ClientAnswering(HttpStatusCode.Accepted, """{"status":"pending","pollAfterSeconds":60}""", "application/json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() =>
            client.EnrollAsync(new EnrollRequest(null, "csr", new DeviceInfo("u", null, null, null, null, null)), CancellationToken.None));

        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
    }

    [Fact]
    public async Task APollAnsweredWithTheCertificateIsCompleted()
    {
        using var client = ClientAnswering(HttpStatusCode.OK,
            """{"computerId":"c1","certificate":"pem","caCertificates":["ca"],"checkInIntervalSeconds":300}""", "application/json");

        var answer = await client.GetEnrollmentRequestAsync("r1", CancellationToken.None);

        Assert.Null(answer.Held);
        Assert.Equal("c1", answer.Completed!.ComputerId);
    }

    [Fact]
    public async Task ACertificateStatusExtensionTellsSupersededFromRevoked()
    {
        using var client = ClientAnswering(HttpStatusCode.Unauthorized,
            """{"type":"urn:signet:problem:certificate-revoked","status":401,"certificateStatus":"superseded"}""", "application/problem+json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() => client.CheckInAsync(new CheckInRequest("1.0"), CancellationToken.None));

        Assert.Equal(ExitCodes.SignatureRejected, failure.ExitCode);
        Assert.Contains("another enrollment replaced it", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeniedPollExitsWithSix()
    {
        using var client = ClientAnswering(HttpStatusCode.Forbidden, """{"type":"urn:signet:problem:enrollment-denied","status":403}""", "application/problem+json");

        var failure = await Assert.ThrowsAsync<AgentFailure>(() => client.GetEnrollmentRequestAsync("r1", CancellationToken.None));

        Assert.Equal(ExitCodes.EnrollmentRefused, failure.ExitCode);
        Assert.Equal(ProblemCode.EnrollmentDenied, failure.Problem);
    }

    private sealed class Answer(HttpStatusCode status, string body, string contentType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) });
    }
}
