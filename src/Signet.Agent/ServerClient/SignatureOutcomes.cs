namespace Signet.Agent.ServerClient;

/// <summary>The server's word on a served request's signature (the check-in response's <c>signature</c>): <see cref="Valid"/>,
/// or the problem code of a signature it did not accept.</summary>
internal static class SignatureOutcomes
{
    /// <summary>The server accepted the signature.</summary>
    public const string Valid = "valid";
}
