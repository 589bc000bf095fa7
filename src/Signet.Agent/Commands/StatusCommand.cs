using System.CommandLine;

namespace Signet.Agent.Commands;

/// <summary><c>signet status</c>: what the keychain holds, without contacting the server.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("status", "Show the keychain, device certificate, server and last contact");
        CommandRunner.Bind(command, options, host, (context, _, _) =>
        {
            using var credentials = context.OpenCredentials();
            var config = credentials.Config;
            var certificate = credentials.Certificate;
            var now = context.Time.GetUtcNow();
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            var state = notAfter <= now ? "expired" : Certificates.IsDueForRenewal(certificate, now) ? "due for renewal" : "valid";
            var lastContact = config.LastContactAt is { } at ? at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never";
            context.Output.Result(
                [
                    $"Keychain:     {context.Keychain.Location}",
                    $"Server:       {config.ServerUrl}",
                    $"Computer id:  {config.ComputerId}",
                    $"UDID:         {config.Udid}",
                    $"Certificate:  {certificate.Subject}",
                    $"Serial:       {certificate.SerialNumber}",
                    $"Expires:      {notAfter:u} ({state})",
                    $"Key:          {Keychain.DeviceKeyTypes.Describe(credentials.KeyType)}",
                    $"Last contact: {lastContact}",
                ],
                new
                {
                    ok = true,
                    keychain = context.Keychain.Location,
                    server = config.ServerUrl,
                    computerId = config.ComputerId,
                    udid = config.Udid,
                    certificate = Certificates.Describe(certificate),
                    certificateState = state,
                    keyType = Keychain.DeviceKeyTypes.ToName(credentials.KeyType),
                    lastContactAt = config.LastContactAt,
                    checkInIntervalSeconds = config.CheckInIntervalSeconds,
                });
            return Task.CompletedTask;
        });
        return command;
    }
}
