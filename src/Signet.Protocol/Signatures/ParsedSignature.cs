using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Signatures;

/// <summary>One signature read from a message's <c>Signature-Input</c> and <c>Signature</c> fields.</summary>
internal sealed record ParsedSignature(string Label, List<SfItem> Components, SfParameters Parameters, byte[] Value);
