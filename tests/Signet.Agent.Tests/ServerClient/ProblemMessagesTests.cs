using Signet.Agent.Commands;
using Signet.Agent.ServerClient;
using Signet.Protocol;

namespace Signet.Agent.Tests.ServerClient;

public sealed class ProblemMessagesTests
{
    private const string Server = "https://signet.example.com";

    public static TheoryData<string, int> ExitCodeOf => new()
    {
        { "signature-required", 4 }, { "signature-malformed", 4 }, { "signature-invalid", 4 }, { "digest-mismatch", 4 },
        { "clock-skew", 4 }, { "replayed", 4 }, { "unknown-key", 4 }, { "certificate-expired", 4 },
        { "certificate-revoked", 4 }, { "device-mismatch", 4 }, { "not-enrolled", 4 },
        { "invitation-invalid", 1 }, { "csr-invalid", 1 }, { "key-not-allowed", 1 }, { "rate-limited", 1 }, { "validation-failed", 1 },
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
        Assert.Contains(Server, failure.Message, StringComparison.Ordinal);
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
    public void EnrollmentRefusalsExitWithSixWhileEnrolling(ProblemCode code) =>
        Assert.Equal(ExitCodes.EnrollmentRefused, ProblemMessages.For(code, Server, enrolling: true).ExitCode);

    [Fact]
    public void DeviceMismatchSaysTheKeychainIsNotForThisComputerAndHowToReEnroll()
    {
        var message = ProblemMessages.For(ProblemCode.DeviceMismatch, Server).Message;

        Assert.Contains("device-mismatch", message, StringComparison.Ordinal);
        Assert.Contains("not made for this computer", message, StringComparison.Ordinal);
        Assert.Contains("signet enroll --server <url> --invitation <code>", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, false, 4)]
    [InlineData(403, true, 6)]
    [InlineData(404, false, 1)]
    [InlineData(500, true, 1)]
    public void StatusWithoutProblemCodeMapsToExitCode(int status, bool enrolling, int exitCode) =>
        Assert.Equal(exitCode, ProblemMessages.ForStatus(status, "Nope", Server, enrolling).ExitCode);
}
