using System.Security.Cryptography;
using System.Text;

namespace Signet.Protocol.Tests.Support;

/// <summary>The RFC vectors copied next to the test assembly (see Vectors/README.md for their provenance).</summary>
internal static class Vectors
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Vectors");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative), Encoding.ASCII);

    public static HttpFile Message(string relative) => HttpFile.Parse(Bytes(relative));

    public static RSA RsaPublicKey(string name)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Text($"rfc9421/keys/{name}.public.pem"));
        return rsa;
    }

    public static RSA RsaPrivateKey(string name)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Text($"rfc9421/keys/{name}.private.pem"));
        return rsa;
    }

    public static ECDsa EcPublicKey(string name)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Text($"rfc9421/keys/{name}.public.pem"));
        return ecdsa;
    }

    public static ECDsa EcPrivateKey(string name)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Text($"rfc9421/keys/{name}.private.pem"));
        return ecdsa;
    }

    public static byte[] SharedSecret() => Convert.FromBase64String(Text("rfc9421/keys/test-shared-secret.txt"));

    /// <summary>The raw bytes of a <c>label=:base64:</c> Signature value.</summary>
    public static byte[] SignatureBytes(string folder)
    {
        var value = Text($"{folder}/signature.txt");
        var start = value.IndexOf("=:", StringComparison.Ordinal) + 2;
        return Convert.FromBase64String(value[start..^1]);
    }
}
