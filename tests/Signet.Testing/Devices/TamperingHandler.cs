namespace Signet.Testing.Devices;

/// <summary>Changes the signed request before it is sent, as an attacker on the path would.</summary>
public sealed class TamperingHandler(Action<HttpRequestMessage> tamper) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        tamper(request);
        return base.SendAsync(request, cancellationToken);
    }
}
