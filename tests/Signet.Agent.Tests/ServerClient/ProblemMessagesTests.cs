using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;

namespace Signet.Agent.Tests.ServerClient;

public sealed class ProblemMessagesTests
{
    private static readonly NextCommands Server = new("https://signet.example.com", null);

    public static TheoryData<string, int> ExitCodeOf => new()
    {
        { "signature-required", 4 }, { "signature-malformed", 4 }, { "signature-invalid", 4 }, { "digest-mismatch", 4 },
        { "clock-skew", 4 }, { "replayed", 4 }, { "unknown-key", 4 }, { "certificate-expired", 4 },
        { "certificate-revoked", 4 }, { "device-mismatch", 4 }, { "not-enrolled", 4 },
        { "invitation-invalid", 1 }, { "csr-invalid", 1 }, { "key-not-allowed", 1 }, { "rate-limited", 1 }, { "validation-failed", 1 },
        { "enrollment-denied", 1 }, { "not-found", 1 }, { "service-unavailable", 1 }, { "server-error", 1 },
    };

    [Theory]
    [MemberData(nameof(ExitCodeOf))]
    public void EveryProblemCodeHasOneLineNamingItWithTheServer(string slug, int exitCode)
    {
        Assert.True(ProblemCodes.TryParse(slug, out var code));

        var failure = ProblemMessages.For(code, Server);

        Assert.Equal(exitCode, failure.ExitCode);
        Assert.Equal(code, failure.Problem);
        Assert.Contains($"({slug})", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Server.ServerUrl, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public void EveryCodeOfTheContractIsCovered() =>
        Assert.Equal(Enum.GetValues<ProblemCode>().Length, ExitCodeOf.Count);

    [Theory]
    [InlineData(ProblemCode.InvitationInvalid)]
    [InlineData(ProblemCode.CsrInvalid)]
    [InlineData(ProblemCode.KeyNotAllowed)]
    [InlineData(ProblemCode.ValidationFailed)]
    [InlineData(ProblemCode.EnrollmentDenied)]
    public void EnrollmentRefusalsExitWithSixWhileEnrolling(ProblemCode code) =>
        Assert.Equal(ExitCodes.EnrollmentRefused, ProblemMessages.For(code, Server, RequestKind.Enrollment).ExitCode);

    [Theory]
    [InlineData(ProblemCode.EnrollmentDenied)]
    [InlineData(ProblemCode.RateLimited)]
    [InlineData(ProblemCode.ServiceUnavailable)]
    public void CodesWithoutARemedyOfTheAgentsOwnUseTheCatalogSentence(ProblemCode code) =>
        Assert.Contains(ProblemCatalog.Of(code).Sentence, ProblemMessages.For(code, Server, RequestKind.Enrollment).Message, StringComparison.Ordinal);

    [Fact]
    public void AnUnavailableReplayCacheOnASignedRequestBlamesTheServerNotTheComputer()
    {
        var failure = ProblemMessages.For(ProblemCode.ServiceUnavailable, Server, RequestKind.Device);

        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
        Assert.Contains("the server's replay cache is unavailable", failure.Message, StringComparison.Ordinal);
        Assert.Contains("try again later", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not a problem with this computer", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("enroll", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeniedEnrollmentTellsTheUserToContactTheAdministrator()
    {
        var failure = ProblemMessages.For(ProblemCode.EnrollmentDenied, Server, RequestKind.HeldEnrollment);

        Assert.Equal(ExitCodes.EnrollmentRefused, failure.ExitCode);
        Assert.Contains("denied", failure.Message, StringComparison.Ordinal);
        Assert.Contains("contact your administrator", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeldRequestTheServerNoLongerHasSaysSoAndHowToStartAgain()
    {
        var failure = ProblemMessages.For(ProblemCode.NotFound, Server, RequestKind.HeldEnrollment);

        Assert.Equal(ExitCodes.EnrollmentRefused, failure.ExitCode);
        Assert.Contains("no longer has this computer's enrollment request (not-found)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("signet enroll --server", failure.Message, StringComparison.Ordinal);
        // Elsewhere not-found means a wrong URL or version, not a lost request.
        Assert.DoesNotContain("enrollment request", ProblemMessages.For(ProblemCode.NotFound, Server).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASupersededCertificateSaysAnotherEnrollmentReplacedItNotThatAnAdministratorRevokedIt()
    {
        var superseded = ProblemMessages.For(ProblemCode.CertificateRevoked, Server, RequestKind.Device, ProblemMessages.Superseded).Message;
        var revoked = ProblemMessages.For(ProblemCode.CertificateRevoked, Server, RequestKind.Device, "revoked").Message;

        Assert.Contains("another enrollment replaced it", superseded, StringComparison.Ordinal);
        Assert.Contains("enrolled again elsewhere", superseded, StringComparison.Ordinal);
        Assert.Contains("contact your administrator", superseded, StringComparison.Ordinal);
        Assert.DoesNotContain("administrator revoked", superseded, StringComparison.Ordinal);
        Assert.Contains("an administrator revoked it", revoked, StringComparison.Ordinal);
        Assert.Equal(revoked, ProblemMessages.For(ProblemCode.CertificateRevoked, Server).Message);
    }

    [Fact]
    public void DeviceMismatchSaysTheKeychainIsNotForThisComputerAndHowToReEnroll()
    {
        var message = ProblemMessages.For(ProblemCode.DeviceMismatch, Server).Message;

        Assert.Contains("device-mismatch", message, StringComparison.Ordinal);
        Assert.Contains("not made for this computer", message, StringComparison.Ordinal);
        Assert.Contains("`signet enroll --server https://signet.example.com --invitation <code>`", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "Device", 4)]
    [InlineData(403, "Enrollment", 6)]
    [InlineData(404, "Device", 1)]
    [InlineData(404, "HeldEnrollment", 6)]
    [InlineData(500, "Enrollment", 1)]
    public void StatusWithoutProblemCodeMapsToExitCode(int status, string kind, int exitCode) =>
        Assert.Equal(exitCode, ProblemMessages.ForStatus(status, "Nope", Server, Enum.Parse<RequestKind>(kind)).ExitCode);
}
