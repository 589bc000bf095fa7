namespace Signet.Server.Problems;

/// <summary>Something the request needs is down (a hardware key, a shared cache): answered 503 <c>service-unavailable</c>,
/// never as the client's fault.</summary>
internal abstract class DependencyUnavailableException : Exception
{
    protected DependencyUnavailableException()
    {
    }

    protected DependencyUnavailableException(string message) : base(message)
    {
    }

    protected DependencyUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
