using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain;

/// <summary>The keychain's <c>agent.json</c>: which server this computer is enrolled with and as whom.</summary>
internal sealed record AgentConfig(string ServerUrl, string ComputerId, string Udid)
{
    /// <summary>When the server last answered a request of ours; shown by <c>status</c>.</summary>
    public DateTimeOffset? LastContactAt { get; init; }

    /// <summary>The check-in interval the server asked for; the daemon uses it.</summary>
    public int? CheckInIntervalSeconds { get; init; }

    /// <summary>The problem code the server last refused (or, with certificate-based communication off, would refuse)
    /// this computer's signature with; null once it accepts it again. <c>status</c> shows it offline.</summary>
    public string? LastRefusal { get; init; }

    /// <summary>When <see cref="LastRefusal"/> was answered.</summary>
    public DateTimeOffset? LastRefusalAt { get; init; }

    public byte[] ToJson() => KeychainJson.Write(this);

    /// <summary>Reads agent.json; null when it does not parse or lacks a required field.</summary>
    public static AgentConfig? FromJson(ReadOnlySpan<byte> json) =>
        KeychainJson.Read<AgentConfig>(json) is { ServerUrl.Length: > 0, ComputerId.Length: > 0, Udid.Length: > 0 } config ? config : null;
}
