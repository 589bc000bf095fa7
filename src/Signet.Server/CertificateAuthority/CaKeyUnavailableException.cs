namespace Signet.Server.CertificateAuthority;

/// <summary>The CA's key could not sign (its token is unplugged or refuses): the request that needed a signature is
/// answered 503 <c>service-unavailable</c>, and nothing it would have written is kept.</summary>
internal sealed class CaKeyUnavailableException : Problems.DependencyUnavailableException
{
    public CaKeyUnavailableException()
    {
    }

    public CaKeyUnavailableException(string message) : base(message)
    {
    }

    public CaKeyUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
