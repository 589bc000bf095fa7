using Microsoft.AspNetCore.Authentication;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Options of the <c>DeviceSignature</c> scheme (<c>Signet:DeviceAuthentication</c>). The defaults are the
/// safe ones; the enforcement switch and clock skew are Security settings, not options.</summary>
internal sealed class DeviceSignatureOptions : AuthenticationSchemeOptions
{
    public const string Section = "Signet:DeviceAuthentication";

    public DeviceSignatureOptions() => Events = new DeviceSignatureEvents();

    /// <summary>Hooks called with each request's outcome.</summary>
    public new DeviceSignatureEvents Events
    {
        get => (DeviceSignatureEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Largest body the scheme buffers to check its digest (an inventory is at most 1 MiB).</summary>
    public int MaximumBodyBytes { get; set; } = 1_048_576;

    /// <summary>Key directory entries kept in memory.</summary>
    public int KeyCacheSize { get; set; } = 200_000;

    /// <summary>How long an unknown keyid or UDID is remembered as unknown.</summary>
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Nonces remembered at most; past this the oldest expired are dropped, and if none has expired
    /// requests are refused as replayed rather than forgetting a live nonce.</summary>
    public int NonceCapacity { get; set; } = 1_000_000;

    /// <summary>How often pending last-contact and signature outcomes are written.</summary>
    public TimeSpan ActivityFlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
