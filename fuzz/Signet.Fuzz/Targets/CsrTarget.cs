using System.Security.Cryptography;
using System.Text;
using Signet.Server.CertificateAuthority;

namespace Signet.Fuzz.Targets;

/// <summary>The server's CSR validation (docs/api.md). Input starting with <c>-----BEGIN</c> is taken as PEM text;
/// anything else as DER, wrapped in PEM, so afl-fuzz mutates the ASN.1 rather than the base64 over it.</summary>
internal static class CsrTarget
{
    public static void Run(byte[] input)
    {
        var pem = input.AsSpan().StartsWith("-----BEGIN"u8)
            ? Encoding.Latin1.GetString(input)
            : PemEncoding.WriteString("CERTIFICATE REQUEST", input);
        var (key, problem) = CsrValidator.Validate(pem);
        if ((key is null) == (problem is null))
        {
            throw new InvalidOperationException($"CsrValidator returned key {key is not null} with problem {problem}");
        }
    }
}
