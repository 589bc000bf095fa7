namespace Signet.Server.Invitations;

/// <summary>An invitation's optional name: trimmed, empty means none.</summary>
internal static class InvitationNames
{
    public const int MaximumLength = 80;

    /// <summary>The name to store, or an error sentence.</summary>
    public static (string? Name, string? Error) Normalize(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, null);
        }

        return trimmed.Length > MaximumLength || trimmed.Any(char.IsControl)
            ? (null, $"At most {MaximumLength} characters, no control characters.")
            : (trimmed, null);
    }
}
