using System.Reflection;
using System.CommandLine;
using Signet.Agent.DeviceIdentity;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Tokens;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;

namespace Signet.Agent.Commands;

/// <summary>What one command invocation works with: output, keychain, identity, clock.</summary>
internal sealed class AgentContext
{
    public AgentContext(ParseResult parse, GlobalOptions options, AgentHost host)
    {
        Host = host;
        KeychainOption = parse.GetValue(options.Keychain);
        Output = new AgentOutput(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(options.Json));
        Keychain = new FileKeychain(KeychainLocation.Resolve(KeychainOption, host.Environment), host.Environment);
    }

    public AgentHost Host { get; }
    public TimeProvider Time => Host.Time;
    public AgentOutput Output { get; }
    public IKeychain Keychain { get; private set; }

    /// <summary>For <c>enroll --keychain-backend pkcs11</c>: new keys are made on this token.</summary>
    public void MakeNewKeysOn(TokenSettings token) => Keychain = new FileKeychain(Keychain.Location, Host.Environment, token);

    /// <summary>The <c>--keychain</c> value as given (null when the default applies).</summary>
    public string? KeychainOption { get; }

    public static string AgentVersion { get; } =
        typeof(AgentContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The enrolled credentials; exit 3 when there is no keychain.</summary>
    public DeviceCredentials OpenCredentials() => Keychain.Open() ?? throw NotEnrolled();

    /// <summary>Exit 3: there is no keychain.</summary>
    public AgentFailure NotEnrolled() => new(ExitCodes.NotEnrolled,
        $"This computer is not enrolled: there is no keychain in {Keychain.Location}; ask your administrator for the server's URL and an invitation, and run {Next("<url>").Enroll}.");

    /// <summary>The commands to suggest for <paramref name="serverUrl"/>, carrying this invocation's <c>--keychain</c>.</summary>
    public NextCommands Next(string serverUrl) => new(serverUrl, KeychainOption);

    /// <summary>This computer's identity as the OS (or SIGNET_DEVICE_UDID) tells it now.</summary>
    public ComputerIdentity ReadIdentity() =>
        DeviceIdentityReader.ForThisComputer(Host.Environment).Read()
        ?? throw new AgentFailure(ExitCodes.Failure,
            $"Cannot determine this computer's hardware UUID (no IOPlatformUUID, DMI product_uuid or /etc/machine-id); set {DeviceIdentityReader.UdidVariable}.");

    /// <summary>A signed client for the enrolled server. The Signet-Device header carries the UDID read from this
    /// computer now, not the one stored at enrollment, so a keychain copied elsewhere is caught by the server.</summary>
    public AgentApiClient SignedClient(DeviceCredentials credentials)
    {
        var server = new Uri(credentials.Config.ServerUrl);
        var udid = ReadIdentity().Udid;
        var next = Next(credentials.Config.ServerUrl) with { KeychainUdid = credentials.Config.Udid, ThisUdid = udid };
        return new AgentApiClient(ServerConnections.Signed(server, credentials.CaCertificates, udid, credentials.SigningKey, Time), next);
    }

    /// <summary>Records that the server answered, for <c>status</c>. <paramref name="signature"/> is the server's word on
    /// the signature when it gave one (<c>valid</c> or a problem code); without it an earlier refusal stands, since with
    /// certificate-based communication off a served request proves nothing about the signature.</summary>
    public void RecordContact(AgentConfig config, int? checkInIntervalSeconds = null, string? signature = null)
    {
        var now = Time.GetUtcNow();
        Keychain.SaveConfig(config with
        {
            LastContactAt = now,
            CheckInIntervalSeconds = checkInIntervalSeconds ?? config.CheckInIntervalSeconds,
            LastRefusal = signature is null ? config.LastRefusal : signature == SignatureOutcomes.Valid ? null : signature,
            LastRefusalAt = signature is null ? config.LastRefusalAt : signature == SignatureOutcomes.Valid ? null : now,
        });
    }

    /// <summary>Remembers a refusal of this computer's signature for an offline <c>status</c>. A clock or replay refusal
    /// says nothing about the certificate and is not kept; a keychain that cannot be written is left as it is.</summary>
    public void RecordRefusal(AgentFailure failure)
    {
        if (failure is not { ExitCode: ExitCodes.SignatureRejected, Problem: { } code } || code is ProblemCode.ClockSkew or ProblemCode.Replayed)
        {
            return;
        }

        try
        {
            using var credentials = Keychain.Open();
            if (credentials is not null)
            {
                Keychain.SaveConfig(credentials.Config with { LastRefusal = code.ToSlug(), LastRefusalAt = Time.GetUtcNow() });
            }
        }
        catch (Exception e) when (e is KeychainException or IOException or UnauthorizedAccessException)
        {
            // The refusal itself is what the user must hear about; status falls back to what it knew.
        }
    }
}
