using System.Security.Cryptography;
using System.Text;

namespace Signet.Server.Invitations;

/// <summary>Invitation codes: 128 random bits, base64url; stored only as SHA-256.</summary>
internal static class InvitationCodes
{
    public static string NewCode() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The non-secret listing id, independent of the code so it reveals nothing about it.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
