namespace Signet.Server.DeviceAuthentication;

/// <summary>What the scheme decided about one agent request.</summary>
/// <param name="HttpContext">The request.</param>
/// <param name="ComputerId">The computer concerned, when one could be named.</param>
/// <param name="Outcome"><c>valid</c> or the problem slug.</param>
/// <param name="Served">False when the request was refused.</param>
internal sealed record DeviceSignatureOutcomeContext(HttpContext HttpContext, string? ComputerId, string Outcome, bool Served);
