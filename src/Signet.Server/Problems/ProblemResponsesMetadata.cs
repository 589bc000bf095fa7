using Signet.Protocol;

namespace Signet.Server.Problems;

/// <summary>A problem an endpoint answers beyond those its authentication, parameters and body already imply (the API
/// documentation adds those).</summary>
internal sealed record ProblemResponsesMetadata(int Status, ProblemCode Code);
