using Signet.Fuzz.Targets;

namespace Signet.Fuzz;

/// <summary>One fuzz target: a parser fed with afl-fuzz's bytes. Any exception it lets escape is a crash: every
/// parser here promises to refuse bad input with a result, never to throw.</summary>
internal sealed record FuzzTarget(string Name, string Covers, Action<byte[]> Run);

internal static class FuzzTargets
{
    public static readonly FuzzTarget[] All =
    [
        new("structured-fields", "RFC 8941 dictionary, list and item parsing, and serialize-parse round trips", StructuredFieldsTarget.Run),
        new("signature-base", "RFC 9421 Signature-Input/Signature reading and signature base building over a request", SignatureBaseTarget.Run),
        new("device-verifier", "the signet-device verifier (every check, nonce canonical form) over a whole request", DeviceVerifierTarget.Run),
        new("content-digest", "RFC 9530 Content-Digest checking against a body", ContentDigestTarget.Run),
        new("csr", "the server's CSR validation (PEM, DER, key policy, proof of possession)", CsrTarget.Run),
        new("json-bodies", "the agent API's JSON bodies as the endpoints read and validate them", JsonBodiesTarget.Run),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
