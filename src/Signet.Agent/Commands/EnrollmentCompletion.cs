using System.Security.Cryptography.X509Certificates;
using Signet.Agent.DeviceIdentity;
using Signet.Agent.Inventory;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary>Takes an enrollment in progress to its end, for <c>enroll</c>, <c>checkin</c> and <c>daemon</c> alike: sends
/// the enroll request for the stored key (signed with the current certificate when this keychain already belongs to
/// that server, docs/lifecycle.md), polls a request the server holds for an administrator's approval, and stores the
/// keychain once the certificate arrives. The key was stored before its CSR was first sent, so sending it again after
/// a lost answer gets the certificate or held request the server already has.</summary>
internal static class EnrollmentCompletion
{
    private const int DefaultPollSeconds = 30;
    private const int MaximumPollSeconds = 3600;

    /// <summary>A finished enrollment, as stored.</summary>
    internal sealed record Enrolled(AgentConfig Config, DeviceKeyType KeyType, KeyPlacement KeyPlacement, string CaFingerprint, object Certificate, string Summary, string CertificateLine);

    /// <summary>Sends the enrollment (when <paramref name="send"/> or when the server has not held it yet) or polls the
    /// held request, and keeps polling at the server's pace while it is held, until <paramref name="waitUntil"/>.
    /// Throws exit 7 when it is still held then, exit 6 (forgetting the enrollment) when it was refused, denied or is
    /// gone.</summary>
    public static async Task<Enrolled> RunAsync(
        AgentContext context, EnrollmentProgress progress, PendingDeviceKey key, bool send, DateTimeOffset? waitUntil, CancellationToken cancellationToken)
    {
        var trusted = CaTrust.ParseBundle(progress.CaCertificate);
        if (trusted.Count == 0)
        {
            context.Keychain.DiscardEnrollment();
            throw new AgentFailure(ExitCodes.Failure,
                $"The enrollment in progress in {context.Keychain.Location} lost its CA certificate and was removed; enroll again with {context.Next(progress.ServerUrl).Signet("enroll", "--server", progress.ServerUrl)}.");
        }

        try
        {
            var answer = send || !progress.IsHeld
                ? await SendAsync(context, progress, key, trusted, cancellationToken).ConfigureAwait(false)
                : await PollAsync(context, progress, trusted, waitUntil, cancellationToken).ConfigureAwait(false);
            while (answer.Held is { } held)
            {
                var now = context.Time.GetUtcNow();
                progress = progress with
                {
                    RequestId = string.IsNullOrEmpty(held.RequestId) ? progress.RequestId : held.RequestId,
                    PollAfterSeconds = held.PollAfterSeconds,
                    HeldAt = progress.HeldAt ?? now,
                };
                context.Keychain.SaveEnrollmentProgress(progress);
                var interval = PollInterval(held.PollAfterSeconds);
                if (waitUntil is not { } deadline || deadline <= now)
                {
                    throw Held(context, progress, interval);
                }

                var delay = interval < deadline - now ? interval : deadline - now;
                context.Output.Progress($"The enrollment waits for an administrator's approval; asking again in {Math.Ceiling(delay.TotalSeconds)} seconds ...");
                await Task.Delay(delay, context.Time, cancellationToken).ConfigureAwait(false);
                answer = await PollAsync(context, progress, trusted, waitUntil, cancellationToken).ConfigureAwait(false);
            }

            return Store(context, key, progress, answer.Completed!, trusted);
        }
        finally
        {
            foreach (var certificate in trusted)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>For <c>checkin</c> and the daemon: finishes the enrollment in progress, if any, with one request (no
    /// waiting). Null when there is none; exit 7 while it is still held.</summary>
    public static async Task<Enrolled?> FinishPendingAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var pending = context.Keychain.OpenPendingEnrollment();
        if (pending is null)
        {
            return null;
        }

        if (pending.Progress.Udid != context.ReadIdentity().Udid)
        {
            // Started for another hardware UUID (the folder was copied, or SIGNET_DEVICE_UDID changed): not ours to finish.
            context.Keychain.DiscardEnrollment();
            return null;
        }

        return await RunAsync(context, pending.Progress, pending.Key, send: false, waitUntil: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the enroll request says about this computer.</summary>
    public static DeviceInfo DescribeDevice(ComputerIdentity identity, KeyPlacement keyPlacement)
    {
        var os = InventoryCollector.OperatingSystemOnly();
        return new DeviceInfo(identity.Udid, identity.SerialNumber, Environment.MachineName, identity.Model, os.Name, os.Version, keyPlacement.ToDeclaration());
    }

    /// <summary>The one line for a held enrollment: it waits for approval, and how to go on.</summary>
    public static AgentFailure Held(AgentContext context, EnrollmentProgress progress, TimeSpan? retryAfter = null)
    {
        return new AgentFailure(ExitCodes.EnrollmentHeld,
            $"The enrollment with {progress.ServerUrl} is waiting for an administrator's approval (this computer is already enrolled there); " +
            $"run {context.Next(progress.ServerUrl).Signet("enroll", "--wait", "<seconds>")} to wait for it, or leave it to the daemon, which finishes it once approved.")
        {
            RetryAfter = retryAfter ?? PollInterval(progress.PollAfterSeconds ?? DefaultPollSeconds),
        };
    }

    private static async Task<EnrollmentAnswer> SendAsync(
        AgentContext context, EnrollmentProgress progress, PendingDeviceKey key, X509Certificate2Collection trusted, CancellationToken cancellationToken)
    {
        var server = new Uri(progress.ServerUrl);
        var request = new EnrollRequest(progress.Invitation, key.CreateSigningRequestPem(progress.Udid), DescribeDevice(context.ReadIdentity(), key.Placement));
        try
        {
            using (var credentials = CurrentCredentialsFor(context, progress, trusted))
            {
                if (credentials is not null)
                {
                    try
                    {
                        // A computer that can still sign as itself re-enrolls at once, without an invitation or approval.
                        context.Output.Progress("Enrolling, signed with this computer's current certificate ...");
                        using var signed = context.SignedClient(credentials);
                        return await signed.EnrollAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch (AgentFailure failure) when (failure.ExitCode == ExitCodes.SignatureRejected)
                    {
                        context.Output.Progress($"The server no longer accepts this computer's current certificate ({failure.Problem?.ToSlug() ?? "refused"}); enrolling without it ...");
                    }
                }
            }

            context.Output.Progress("Enrolling ...");
            using var client = new AgentApiClient(ServerConnections.Trusting(server, trusted), context.Next(progress.ServerUrl));
            return await client.EnrollAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentFailure failure) when (failure.ExitCode == ExitCodes.EnrollmentRefused)
        {
            // Refused for good (invitation, key): the next `signet enroll` starts afresh.
            context.Keychain.DiscardEnrollment();
            throw;
        }
    }

    private static async Task<EnrollmentAnswer> PollAsync(
        AgentContext context, EnrollmentProgress progress, X509Certificate2Collection trusted, DateTimeOffset? waitUntil, CancellationToken cancellationToken)
    {
        var server = new Uri(progress.ServerUrl);
        try
        {
            using var client = new AgentApiClient(ServerConnections.Trusting(server, trusted), context.Next(progress.ServerUrl));
            return await client.GetEnrollmentRequestAsync(progress.RequestId!, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentFailure failure) when (failure.ExitCode == ExitCodes.EnrollmentRefused)
        {
            // Denied, expired or deleted: this request will never complete.
            context.Keychain.DiscardEnrollment();
            throw;
        }
        catch (AgentFailure failure) when (IsTransient(failure) && waitUntil > context.Time.GetUtcNow())
        {
            // While waiting, an unreachable or busy server is asked again at the same pace.
            context.Output.Progress(failure.Message);
            return new EnrollmentAnswer(null, new EnrollmentHeldResponse(progress.RequestId, EnrollmentHeldResponse.Pending, progress.PollAfterSeconds ?? DefaultPollSeconds));
        }
    }

    private static Enrolled Store(AgentContext context, PendingDeviceKey key, EnrollmentProgress progress, EnrollResponse response, X509Certificate2Collection trusted)
    {
        var server = new Uri(progress.ServerUrl);
        if (string.IsNullOrWhiteSpace(response.ComputerId))
        {
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {progress.ServerUrl} accepted the enrollment but sent no computer id; nothing was stored. Check that the agent and server versions match.");
        }

        using var certificate = Certificates.Parse(response.Certificate, server);
        if (!key.IsCertifiedBy(certificate))
        {
            context.Keychain.DiscardEnrollment();
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {progress.ServerUrl} returned a certificate for a different key; nothing was stored. Report this to your administrator.");
        }

        context.Output.Progress($"Storing the keychain in {context.Keychain.Location} ...");
        var config = new AgentConfig(progress.ServerUrl, response.ComputerId, progress.Udid)
        {
            LastContactAt = context.Time.GetUtcNow(),
            CheckInIntervalSeconds = response.CheckInIntervalSeconds,
        };
        context.Keychain.Create(config, key, certificate, trusted);
        return new Enrolled(
            config,
            key.Type,
            key.Placement,
            CaTrust.Fingerprint(trusted[0]),
            Certificates.Describe(certificate),
            $"Enrolled with {config.ServerUrl} as computer {config.ComputerId}.",
            $"Device certificate: {certificate.Subject}, serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():u}.");
    }

    /// <summary>The keychain's credentials when they belong to the same server and CA as the enrollment, so they can
    /// sign it; null otherwise (none, damaged, or another server's).</summary>
    private static DeviceCredentials? CurrentCredentialsFor(AgentContext context, EnrollmentProgress progress, X509Certificate2Collection trusted)
    {
        DeviceCredentials? credentials;
        try
        {
            credentials = context.Keychain.Open();
        }
        catch (KeychainException)
        {
            // A damaged keychain is what enrolling again repairs.
            return null;
        }

        if (credentials is not null && credentials.Config.ServerUrl == progress.ServerUrl
            && credentials.CaCertificates.Any(ca => trusted.Any(anchor => ca.RawData.AsSpan().SequenceEqual(anchor.RawData))))
        {
            return credentials;
        }

        credentials?.Dispose();
        return null;
    }

    private static bool IsTransient(AgentFailure failure) =>
        failure.ExitCode == ExitCodes.ServerUnreachable
        || failure.Problem is ProblemCode.RateLimited or ProblemCode.ServiceUnavailable or ProblemCode.ServerError;

    private static TimeSpan PollInterval(int seconds) =>
        TimeSpan.FromSeconds(seconds <= 0 ? DefaultPollSeconds : Math.Min(seconds, MaximumPollSeconds));
}
