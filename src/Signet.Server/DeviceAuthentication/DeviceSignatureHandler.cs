using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Server.CertificateAuthority;
using Signet.Server.Problems;
using Signet.Server.Settings;
using Signet.Server.Hosting;

namespace Signet.Server.DeviceAuthentication;

/// <summary>The <c>DeviceSignature</c> scheme (docs/protocol.md): extract the body → verify the RFC 9421 signature →
/// refuse replays → check the certificate's status → bind it to the computer named by <c>Signet-Device</c>.
/// With certificate-based communication off, failures are recorded and the request is served on
/// <c>Signet-Device</c> alone, except where the endpoint demands a signature (renewal).</summary>
internal sealed partial class DeviceSignatureHandler(
    IOptionsMonitor<DeviceSignatureOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SecuritySettingsSnapshot settings,
    IDeviceKeyDirectory keys,
    IComputerDirectory computers,
    INonceStore nonces,
    DeviceActivityRecorder activity,
    ReplayCacheMetrics replayCacheMetrics,
    TimeProvider time) : AuthenticationHandler<DeviceSignatureOptions>(options, loggerFactory, encoder)
{
    public const string ValidOutcome = "valid";

    internal const string ReplayCacheUnavailableSentence =
        "The server's replay cache is unavailable, so it cannot rule out a replayed request: try again later.";

    private new DeviceSignatureEvents Events
    {
        get => (DeviceSignatureEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new DeviceSignatureEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var current = settings.Current;
        var signatureRequired = current.CertificateBasedCommunication ||
            Context.GetEndpoint()?.Metadata.GetMetadata<RequireDeviceSignatureMetadata>() is not null;
        var cancellationToken = Context.RequestAborted;

        var body = await DeviceRequestBody.ReadAsync(Request, Options.MaximumBodyBytes, cancellationToken);
        if (body is null)
        {
            Logger.BodyTooLarge(Options.MaximumBodyBytes);
            return Fail(new(ProblemCode.ValidationFailed, StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than {Options.MaximumBodyBytes} bytes."));
        }

        Context.Features.Set(body);
        var now = time.GetUtcNow();
        var (result, entry) = await VerifyAsync(body.Bytes, now, current.MaximumClockSkew, cancellationToken);
        var problem = result.Problem;
        if (problem is null && entry is not null)
        {
            problem = await CheckReplayAsync(result, now, current.MaximumClockSkew, cancellationToken)
                ?? CertificateStatusCheck.Check(entry, now)
                ?? (string.Equals(entry.Udid, result.DeviceUdid, StringComparison.Ordinal) ? null : ProblemCode.DeviceMismatch);
        }
        else
        {
            problem ??= ProblemCode.UnknownKey;
        }

        if (problem is null)
        {
            if (entry!.Status == CertificateStatus.Pending)
            {
                await ActivateAsync(entry, cancellationToken);
            }

            activity.RecordSignature(entry.ComputerId, ValidOutcome, now);
            activity.RecordContact(entry.ComputerId, now, ClientAddress.Of(Context));
            await Events.Outcome(new(Context, entry.ComputerId, ValidOutcome, Served: true));
            return Success(entry.ComputerId, entry.Udid, entry.KeyId, ValidOutcome);
        }

        var udid = result.DeviceUdid ?? Request.Headers[SignetHeaders.SignetDevice].ToString();
        var outage = problem == ProblemCode.ServiceUnavailable;
        // In an outage the database may be down too: the verified certificate names the computer without asking it.
        var computerId = outage && entry is not null && string.Equals(entry.Udid, udid, StringComparison.Ordinal) ? entry.ComputerId
            : DeviceUdids.IsWellFormed(udid) ? await computers.FindComputerIdAsync(udid, cancellationToken) : null;
        if (computerId is not null && !outage)
        {
            activity.RecordSignature(computerId, problem.Value.ToSlug(), now);
        }

        var served = !signatureRequired && computerId is not null;
        if (outage)
        {
            // Counted and logged as the server's outage; the computer's signature outcome stays as it was.
            replayCacheMetrics.Unavailable(served);
            Logger.ReplayCacheUnavailable(udid, served ? "served on Signet-Device alone" : "refused service-unavailable");
        }

        if (!served)
        {
            var code = signatureRequired ? problem.Value : ProblemCode.NotEnrolled;
            await Events.Outcome(new(Context, computerId, code.ToSlug(), Served: false));
            // A copied keychain names another computer's certificate: the refusal belongs to that computer, not to an address.
            return Refuse(code, computerId ?? entry?.ComputerId, udid, result.Detail, now,
                code == ProblemCode.CertificateRevoked ? entry?.Status : null);
        }

        Logger.ServedWithoutValidSignature(computerId!, problem.Value.ToSlug(), result.Detail);
        activity.RecordContact(computerId!, now, ClientAddress.Of(Context));
        await Events.Outcome(new(Context, computerId, problem.Value.ToSlug(), Served: true));
        return Success(computerId!, udid, keyId: null, problem.Value.ToSlug());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Features.Get<DeviceAuthenticationFailure>()
            ?? new(ProblemCode.SignatureRequired, StatusCodes.Status401Unauthorized, "This request must be signed with the device key.");
        if (failure.Status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = "Signature";
        }
        else if (failure.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = "5";
        }

        await ProblemResults.WriteAsync(Context, failure.Code, failure.Status, failure.Detail,
            failure.CertificateStatus is { } status ? new Dictionary<string, object?> { ["certificateStatus"] = status } : null);
    }

    /// <summary>The first valid signature with a renewed certificate: it takes over from its predecessor. The request
    /// is served either way (a pending certificate is valid); a failed write is retried by the next request.</summary>
    private async Task ActivateAsync(DeviceKeyEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await Context.RequestServices.GetRequiredService<IRenewedCertificateActivation>()
                .ActivateAsync(entry.KeyId, entry.Udid, ClientAddress.Of(Context), cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            Logger.ActivationFailed(entry.KeyId, e);
        }
    }

    /// <summary>Runs the protocol verifier; a keyid not in memory is loaded once and the check repeated, so the
    /// verifier's synchronous resolver never waits on the database.</summary>
    private async Task<(DeviceSignatureResult Result, DeviceKeyEntry? Entry)> VerifyAsync(
        byte[] body, DateTimeOffset now, TimeSpan skew, CancellationToken cancellationToken)
    {
        DeviceKeyEntry? entry = null;
        string? missed = null;
        var result = DeviceSignatureVerifier.Verify(Request, body, keyId =>
        {
            if (keys.TryGetCached(keyId, out entry))
            {
                return entry?.Key;
            }

            missed = keyId;
            return null;
        }, now, skew);

        if (result.Problem == ProblemCode.UnknownKey && missed is not null)
        {
            var loaded = await keys.FindAsync(missed, cancellationToken);
            if (loaded is not null)
            {
                entry = loaded;
                result = DeviceSignatureVerifier.Verify(Request, body, keyId => keyId == loaded.KeyId ? loaded.Key : null, now, skew);
            }
        }

        return (result, result.Succeeded ? entry : null);
    }

    /// <summary>Burns the nonce, in its canonical form. A cache that cannot answer is an outage
    /// (<c>service-unavailable</c>, 503), never <c>replayed</c>: that code sends the operator looking for an attacker.</summary>
    private async Task<ProblemCode?> CheckReplayAsync(DeviceSignatureResult result, DateTimeOffset now, TimeSpan skew, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(result.CanonicalNonce))
        {
            return ProblemCode.SignatureMalformed;
        }

        // Remember the nonce for as long as its signature could still pass the skew check.
        var created = result.Created ?? now;
        var until = (created > now ? created : now) + skew + TimeSpan.FromSeconds(1);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await nonces.RecordAsync(result.CanonicalNonce, until, cancellationToken);
        replayCacheMetrics.Recorded(System.Diagnostics.Stopwatch.GetElapsedTime(started), outcome);
        return outcome switch
        {
            NonceOutcome.Recorded => null,
            NonceOutcome.Replayed => ProblemCode.Replayed,
            _ => ProblemCode.ServiceUnavailable,
        };
    }

    /// <summary>A served request; <paramref name="keyId"/> is null when it was served without a valid signature.</summary>
    private AuthenticateResult Success(string computerId, string udid, string? keyId, string outcome)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(DeviceSignatureDefaults.ComputerIdClaim, computerId),
            new Claim(DeviceSignatureDefaults.UdidClaim, udid),
            new Claim(DeviceSignatureDefaults.SignedClaim, keyId is null ? "false" : "true"),
            new Claim(DeviceSignatureDefaults.SignatureOutcomeClaim, outcome),
        ], Scheme.Name);
        if (keyId is not null)
        {
            identity.AddClaim(new Claim(DeviceSignatureDefaults.KeyIdClaim, keyId));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary>A refusal; <paramref name="certificateStatus"/> tells a certificate superseded by another enrollment
    /// from one an administrator revoked, so the agent can say which.</summary>
    private AuthenticateResult Refuse(ProblemCode code, string? computerId, string? udid, string? detail, DateTimeOffset now,
        CertificateStatus? certificateStatus = null)
    {
        if (code == ProblemCode.ServiceUnavailable)
        {
            // Not the computer's doing: no refusal in the audit log, and a sentence that blames no one.
            return Fail(new(code, StatusCodes.Status503ServiceUnavailable, ReplayCacheUnavailableSentence));
        }

        Logger.RequestRefused(udid, code.ToSlug(), detail);
        var source = ClientAddress.Of(Context);
        activity.RecordRefusal(computerId ?? source, code.ToSlug(), source, now);
        var sentence = certificateStatus == CertificateStatus.Superseded
            ? "This computer's certificate was replaced by a later enrollment of the same computer: if that was not this computer, contact your administrator."
            : ProblemCatalog.Of(code).Sentence;
        return Fail(new(code, StatusCodes.Status401Unauthorized, sentence, certificateStatus?.ToName()));
    }

    private AuthenticateResult Fail(DeviceAuthenticationFailure failure)
    {
        Context.Features.Set(failure);
        return AuthenticateResult.Fail(failure.Code.ToSlug());
    }
}
