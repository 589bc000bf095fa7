using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Signet.Server.Hosting;

/// <summary>The 32-byte master key every secret at rest is derived from: <c>Signet:MasterKey</c> (base64) or
/// <c>&lt;data&gt;/master.key</c>, created with 32 random bytes on first start.</summary>
internal sealed class MasterKey
{
    public const string FileName = "master.key";
    private readonly byte[] _key;

    public MasterKey(IOptions<HostingOptions> options, DataDirectory data)
    {
        _key = Load(options.Value.MasterKey, data.File(FileName));
    }

    private MasterKey(byte[] key)
    {
        _key = key;
    }

    /// <summary>A key given as text (a master.key file's contents or <c>Signet:MasterKey</c>), for commands that
    /// check a backup against it before anything is written; null when it is not 32 bytes of base64.</summary>
    public static MasterKey? FromText(string text) => IsWellFormed(text) ? new MasterKey(Convert.FromBase64String(text.Trim())) : null;

    /// <summary>A key for one purpose, so the master key itself never encrypts anything.</summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));

    /// <summary>True when <paramref name="text"/> is the base64 of exactly 32 bytes.</summary>
    public static bool IsWellFormed(string text) =>
        Convert.TryFromBase64String(text.Trim(), new byte[64], out var written) && written == 32;

    private static byte[] Load(string? configured, string path)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Decode(configured, "Signet:MasterKey (Signet__MasterKey)", ServerExitCodes.Configuration);
        }

        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n";
            SecureFile.TryCreate(path, System.Text.Encoding.ASCII.GetBytes(fresh));
        }

        // Everything at rest is encrypted under this key: one others could read is refused, not silently tightened,
        // so the operator learns it may have been copied.
        SecureFile.RefuseIfOpenToOthers(path, "master key", "; if others may have copied it, treat the CA key as exposed");

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartRefusedException(ServerExitCodes.DataFolder,
                $"Cannot read the master key {path} ({e.Message}); make it readable by the server's user (mode 0600), or set Signet:MasterKey.", e);
        }

        return Decode(text, path, ServerExitCodes.DataFolder);
    }

    private static byte[] Decode(string text, string source, int exitCode)
    {
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != 32)
        {
            throw new StartRefusedException(exitCode,
                $"The master key in {source} must be the base64 encoding of exactly 32 bytes; restore the key this installation was created with.");
        }

        return buffer[..32];
    }
}
