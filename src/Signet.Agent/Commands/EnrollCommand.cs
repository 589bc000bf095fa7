using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.DeviceIdentity;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Keychain.Tokens;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol.Device;

namespace Signet.Agent.Commands;

/// <summary><c>signet enroll</c>: fetch and check the CA, create a key pair and CSR, enroll, store the keychain. The
/// key is stored before its CSR is sent, so running the command again after a lost answer or a held enrollment
/// continues the same enrollment instead of starting another.</summary>
internal static class EnrollCommand
{
    /// <summary>The server forgets held requests after seven days; waiting longer cannot help.</summary>
    private const int MaximumWaitSeconds = 7 * 24 * 60 * 60;

    private sealed record Arguments(string? Server, string? Invitation, string? Fingerprint, DeviceKeyType KeyType, bool KeyTypeGiven, int? WaitSeconds)
    {
        /// <summary>This enrollment's command line for <paramref name="server"/>, for messages that say to run it again
        /// with something changed.</summary>
        public IReadOnlyList<string> Command(string server) =>
        [
            "enroll", "--server", server,
            .. Invitation is null ? [] : new[] { "--invitation", Invitation.Trim() },
            .. Fingerprint is null ? [] : new[] { "--ca-fingerprint", CertificateFingerprints.Normalize(Fingerprint) ?? Fingerprint },
            .. KeyTypeGiven ? new[] { "--key-type", KeyType.ToName() } : [],
            .. Token is { } token
                ? new[] { "--keychain-backend", "pkcs11", "--pkcs11-module", token.Module, "--pkcs11-token", token.Token }
                    .Concat(token.PinFile is null ? [] : new[] { "--pkcs11-pin-file", token.PinFile })
                : [],
            .. WaitSeconds is { } seconds ? new[] { "--wait", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [],
        ];

        /// <summary>The token for new keys (<c>--keychain-backend pkcs11</c>); null for the file backend.</summary>
        public TokenSettings? Token { get; init; }

        /// <summary>True when <c>--keychain-backend</c> was given.</summary>
        public bool BackendGiven { get; init; }
    }

    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var server = new Option<string?>("--server")
        {
            Description = "Signet server URL (https; http only for a loopback address); not needed to continue an enrollment in progress",
            HelpName = "URL",
        };
        var invitation = new Option<string?>("--invitation")
        {
            Description = "Invitation code from the administrator; without one, a computer the server already knows waits for approval",
            HelpName = "CODE",
        };
        var fingerprint = new Option<string?>("--ca-fingerprint")
        {
            Description = "Expected SHA-256 fingerprint of the server's CA certificate, as the server prints it (AB:CD:…; colons optional, any case)",
            HelpName = "HEX",
        };
        // Checked before anything is fetched: a mistyped fingerprint is a usage error, not a mismatch found after a request.
        fingerprint.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && CertificateFingerprints.TryParse(token.Value) is null)
            {
                result.AddError($"--ca-fingerprint '{token.Value}' is not a SHA-256 fingerprint: give the 64 hex digits the server prints (for example 5D:F5:…, with or without the colons, any case).");
            }
        });
        var wait = new Option<int?>("--wait")
        {
            Description = "Wait up to SECONDS for an administrator to approve an enrollment the server holds (default: do not wait; exit 7)",
            HelpName = "SECONDS",
        };
        wait.Validators.Add(result =>
        {
            // A token that is not a number is reported by the parser itself.
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var seconds) && seconds is < 0 or > MaximumWaitSeconds)
            {
                result.AddError($"--wait takes 0 to {MaximumWaitSeconds} seconds (held enrollments expire after seven days).");
            }
        });
        var keyType = new Option<string>("--key-type") { Description = "Key pair to generate", DefaultValueFactory = _ => "rsa" };
        keyType.AcceptOnlyFromAmong("rsa", "ec-p256", "ec-p384");

        var backend = new KeychainBackendOptions();

        var command = new Command("enroll", "Create the keychain and key pair, and enroll this computer with a Signet server")
        {
            server, invitation, fingerprint, wait, keyType, backend.Backend, backend.Module, backend.Token, backend.PinFile,
        };
        CommandRunner.Bind(command, options, host, (context, parse, cancellationToken) => RunAsync(
            context,
            new Arguments(
                parse.GetValue(server),
                parse.GetValue(invitation),
                parse.GetValue(fingerprint),
                ParseKeyType(parse.GetValue(keyType)),
                parse.GetResult(keyType) is { Implicit: false },
                parse.GetValue(wait))
            {
                Token = backend.Read(parse, host.Environment),
                BackendGiven = parse.GetResult(backend.Backend) is { Implicit: false },
            },
            cancellationToken));
        return command;
    }

    private static DeviceKeyType ParseKeyType(string? name) => name switch
    {
        "ec-p256" => DeviceKeyType.EcP256,
        "ec-p384" => DeviceKeyType.EcP384,
        _ => DeviceKeyType.Rsa,
    };

    private static async Task RunAsync(AgentContext context, Arguments arguments, CancellationToken cancellationToken)
    {
        Uri? server = null;
        if (arguments.Server is not null)
        {
            (server, var error) = ServerAddress.Parse(arguments.Server);
            if (server is null)
            {
                var https = ServerAddress.HttpsInstead(arguments.Server);
                throw new AgentFailure(ExitCodes.Usage,
                    https is null ? error! : $"{error} Run {context.Next(https).Signet([.. arguments.Command(https)])}.");
            }
        }

        if (arguments.Invitation is not null && string.IsNullOrWhiteSpace(arguments.Invitation))
        {
            throw new AgentFailure(ExitCodes.Usage, "The invitation code is empty; pass the code your administrator gave you with --invitation, or leave the option out.");
        }

        if (arguments.Token is { } token)
        {
            context.MakeNewKeysOn(token);
        }

        DateTimeOffset? waitUntil = arguments.WaitSeconds is { } seconds ? context.Time.GetUtcNow().AddSeconds(seconds) : null;
        var enrolled = await ContinueAsync(context, arguments, server, waitUntil, cancellationToken).ConfigureAwait(false)
            ?? await StartAsync(context, arguments, server ?? throw NoServer(context), waitUntil, cancellationToken).ConfigureAwait(false);

        var config = enrolled.Config;
        context.Output.Result(
            [
                enrolled.Summary,
                enrolled.CertificateLine,
                $"Keychain: {context.Keychain.Location} ({enrolled.KeyType.Describe()} key {enrolled.KeyPlacement.Describe()}).",
                $"CA fingerprint (SHA-256): {enrolled.CaFingerprint}",
            ],
            new
            {
                ok = true,
                server = config.ServerUrl,
                computerId = config.ComputerId,
                udid = config.Udid,
                keychain = context.Keychain.Location,
                keyType = enrolled.KeyType.ToName(),
                keyProtection = enrolled.KeyPlacement.Kind,
                certificate = enrolled.Certificate,
                caFingerprint = enrolled.CaFingerprint,
                checkInIntervalSeconds = config.CheckInIntervalSeconds,
            });
    }

    /// <summary>Continues the enrollment in progress when the command line does not ask for another; null when there
    /// is none to continue.</summary>
    private static async Task<EnrollmentCompletion.Enrolled?> ContinueAsync(
        AgentContext context, Arguments arguments, Uri? server, DateTimeOffset? waitUntil, CancellationToken cancellationToken)
    {
        using var pending = context.Keychain.OpenPendingEnrollment();
        if (pending is null)
        {
            return null;
        }

        var progress = pending.Progress;
        if (ReasonToStartOver(pending, arguments, server, context.ReadIdentity()) is { } reason)
        {
            context.Output.Progress($"Discarding the enrollment in progress with {progress.ServerUrl} ({reason}) ...");
            context.Keychain.DiscardEnrollment();
            return null;
        }

        var invitation = arguments.Invitation?.Trim();
        if (progress.IsHeld && invitation is not null && invitation != progress.Invitation)
        {
            // The server answers a held key with its held request whatever the invitation, so a new invitation (one
            // the administrator bound to this computer, say) goes with a new key, to the server and CA confirmed before.
            context.Output.Progress($"Enrolling with {progress.ServerUrl} again with the new invitation and a new key (the held request is left to the administrator) ...");
            using var key = context.Keychain.GenerateKey(arguments.KeyTypeGiven ? arguments.KeyType : pending.Key.Type);
            var fresh = new EnrollmentProgress(progress.ServerUrl, progress.Udid, progress.CaCertificate)
            {
                Invitation = invitation,
                StartedAt = context.Time.GetUtcNow(),
            };
            context.Keychain.StartEnrollment(fresh, key);
            return await EnrollmentCompletion.RunAsync(context, fresh, key, send: true, waitUntil, cancellationToken).ConfigureAwait(false);
        }

        context.Output.Progress(progress.IsHeld
            ? $"Continuing the enrollment with {progress.ServerUrl} that waits for an administrator's approval ..."
            : $"Continuing the enrollment with {progress.ServerUrl} started {progress.StartedAt:u} with the key stored then ...");
        if (invitation is not null && invitation != progress.Invitation)
        {
            progress = progress with { Invitation = invitation };
            context.Keychain.SaveEnrollmentProgress(progress);
        }

        // Not held yet means the answer was lost: the same key is sent again. A held one is asked after.
        return await EnrollmentCompletion.RunAsync(context, progress, pending.Key, send: invitation is not null, waitUntil, cancellationToken).ConfigureAwait(false);
    }

    private static string? ReasonToStartOver(PendingEnrollment pending, Arguments arguments, Uri? server, ComputerIdentity identity)
    {
        var progress = pending.Progress;
        if (progress.Udid != identity.Udid)
        {
            return $"it was started for the hardware UUID {progress.Udid}";
        }

        if (server is not null && ServerUrl(server) != progress.ServerUrl)
        {
            return $"--server names {ServerUrl(server)}";
        }

        if (arguments.Fingerprint is { } expected && !CaTrust.ParseBundle(progress.CaCertificate).Any(ca => CaTrust.Matches(ca, expected)))
        {
            return "its CA does not match --ca-fingerprint";
        }

        if (arguments.KeyTypeGiven && pending.Key.Type != arguments.KeyType)
        {
            return $"its key is {pending.Key.Type.Describe()}, not {arguments.KeyType.Describe()}";
        }

        var placement = pending.Key.Placement;
        if (arguments.BackendGiven && (placement.Kind != (arguments.Token is null ? KeyPlacement.FileKind : TokenKeyReference.Pkcs11) || placement.Token != arguments.Token?.Token))
        {
            return $"its key is {placement.Describe()}";
        }

        return null;
    }

    private static async Task<EnrollmentCompletion.Enrolled> StartAsync(
        AgentContext context, Arguments arguments, Uri server, DateTimeOffset? waitUntil, CancellationToken cancellationToken)
    {
        var identity = context.ReadIdentity();
        using var anchor = await FetchCaAsync(context, server, arguments, cancellationToken).ConfigureAwait(false);
        context.Output.Progress(arguments.Token is { } token
            ? $"Generating an {arguments.KeyType.Describe()} key pair on PKCS#11 token '{token.Token}' ..."
            : $"Generating an {arguments.KeyType.Describe()} key pair ...");
        using var key = context.Keychain.GenerateKey(arguments.KeyType);
        var progress = new EnrollmentProgress(ServerUrl(server), identity.Udid, anchor.ExportCertificatePem())
        {
            Invitation = arguments.Invitation?.Trim(),
            StartedAt = context.Time.GetUtcNow(),
        };
        // Stored before the CSR leaves: after a lost answer the same key is sent again and gets the same result.
        context.Keychain.StartEnrollment(progress, key);
        return await EnrollmentCompletion.RunAsync(context, progress, key, send: true, waitUntil, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's CA, checked against <c>--ca-fingerprint</c> or shown for the administrator to confirm.</summary>
    private static async Task<X509Certificate2> FetchCaAsync(AgentContext context, Uri server, Arguments arguments, CancellationToken cancellationToken)
    {
        var expectedFingerprint = arguments.Fingerprint;
        context.Output.Progress($"Fetching the CA certificate from {server} ...");
        string caPem;
        var next = context.Next(ServerUrl(server)) with { Command = arguments.Command(ServerUrl(server)) };
        using (var bootstrap = new AgentApiClient(ServerConnections.ForCaBootstrap(server), next))
        {
            caPem = await bootstrap.GetCaBundleAsync(cancellationToken).ConfigureAwait(false);
        }

        var bundle = CaTrust.ParseBundle(caPem);
        if (bundle.Count == 0)
        {
            throw new AgentFailure(ExitCodes.EnrollmentRefused,
                $"{ServerUrl(server)} did not return a CA certificate at /agent/v1/ca; check with your administrator that this is your Signet server's URL.");
        }

        // Only the CA whose fingerprint is checked (or shown) becomes a trust anchor; anything else in the bundle is
        // dropped so an interceptor cannot slip in a root of its own next to the genuine one.
        var anchor = bundle[0];
        foreach (var dropped in bundle.Skip(1))
        {
            dropped.Dispose();
        }

        var fingerprint = CaTrust.Fingerprint(anchor);
        if (expectedFingerprint is not null && !CaTrust.Matches(anchor, expectedFingerprint))
        {
            anchor.Dispose();
            throw new AgentFailure(ExitCodes.EnrollmentRefused,
                $"The CA certificate of {ServerUrl(server)} has SHA-256 fingerprint {fingerprint}, not the expected {CertificateFingerprints.Normalize(expectedFingerprint)}: this may not be your Signet server, or the connection is intercepted; nothing was stored. Check the fingerprint with your administrator.");
        }

        if (expectedFingerprint is null)
        {
            context.Output.Progress($"CA certificate: {anchor.Subject}, SHA-256 fingerprint {fingerprint}");
            context.Output.Progress("Confirm this fingerprint with your administrator (pass --ca-fingerprint to have it checked).");
        }

        return anchor;
    }

    private static AgentFailure NoServer(AgentContext context) => new(ExitCodes.Usage,
        $"No enrollment is in progress to continue: pass the server's URL, as in {context.Next("<url>").Enroll} (run `signet enroll --help` for usage).");

    private static string ServerUrl(Uri server) => server.AbsoluteUri.TrimEnd('/');
}
