namespace Signet.Server.CertificateAuthority;

/// <summary><c>Signet:Ca:Pkcs11</c>: the token that holds the CA key. The PIN never goes on a command line.</summary>
internal sealed class Pkcs11CaOptions
{
    /// <summary>Path of the PKCS#11 module (e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>).</summary>
    public string? Module { get; set; }

    /// <summary>Label of the token (not a slot number: slot numbers change when tokens are added).</summary>
    public string? Token { get; set; }

    /// <summary>Label of the CA key pair in the token.</summary>
    public string KeyLabel { get; set; } = "signet-ca";

    /// <summary>The user PIN (<c>Signet__Ca__Pkcs11__Pin</c>); or <see cref="PinFile"/>.</summary>
    public string? Pin { get; set; }

    /// <summary>A file holding the PIN, readable by its owner only.</summary>
    public string? PinFile { get; set; }
}
