namespace Signet.Agent.Keychain.Files;

/// <summary>The keychain exists but cannot be used: unsafe permissions or damaged files. The message says what to do.</summary>
internal sealed class KeychainException : Exception
{
    public KeychainException()
    {
    }

    public KeychainException(string message) : base(message)
    {
    }

    public KeychainException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
