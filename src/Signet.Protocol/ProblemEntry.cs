namespace Signet.Protocol;

/// <summary>One problem code as every party sees it: the wire slug, the usual HTTP status, a short stable title, and
/// the sentence the server sends when it has nothing more specific to say (what happened, then what to do).</summary>
public sealed record ProblemEntry(ProblemCode Code, string Slug, int Status, string Title, string Sentence)
{
    /// <summary>The problem-details <c>type</c>.</summary>
    public string TypeUri { get; } = ProblemCodes.TypePrefix + Slug;
}
