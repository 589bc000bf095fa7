using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.Tls;

/// <summary>The HTTPS certificate: issued by the CA for localhost, 127.0.0.1, ::1 and <c>Signet:Tls:HostNames</c>,
/// stored (key encrypted) and reused; re-issued when the names change or it nears expiry. Handshakes share one
/// <see cref="SslStreamCertificateContext"/> (chain built once, one OpenSSL context that also resumes sessions),
/// rebuilt only when the certificate is.</summary>
internal sealed class TlsCertificateProvider(
    IServiceScopeFactory scopes,
    ICaSigner ca,
    PrivateKeyProtector protector,
    IOptions<TlsOptions> options,
    TimeProvider time)
{
    private const string KeyPurpose = "tls";
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private Presented? _presented;
    private int _refreshing;

    /// <summary>The certificate and the context made from it, swapped together.</summary>
    private sealed record Presented(X509Certificate2 Certificate, SslStreamCertificateContext Context);

    /// <summary>The certificate Kestrel presents; null until <see cref="InitializeAsync"/> has run.</summary>
    public X509Certificate2? Current => Fresh()?.Certificate;

    /// <summary>What each handshake uses; null until <see cref="InitializeAsync"/> has run.</summary>
    public SslStreamCertificateContext? Context => Fresh()?.Context;

    /// <summary>A server that runs for months starts a re-issue in the background once the certificate nears its end.</summary>
    private Presented? Fresh()
    {
        var presented = Volatile.Read(ref _presented);
        if (presented is not null &&
            presented.Certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime < TimeSpan.FromDays(options.Value.RenewBeforeDays) &&
            Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return presented;
    }

    private async Task RefreshAsync()
    {
        try
        {
            await InitializeAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or CryptographicException or InvalidOperationException)
        {
            // Keep serving the current certificate; the next handshake tries again.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var names = HostNames();
        var joined = string.Join(',', names);
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var record = await db.TlsCertificates.AsNoTracking().OrderByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        if (record is null || record.HostNames != joined ||
            record.NotAfter - now < TimeSpan.FromDays(options.Value.RenewBeforeDays))
        {
            record = Issue(names, joined, now);
            db.TlsCertificates.Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (_presented?.Certificate.RawData.AsSpan().SequenceEqual(record.CertificateDer) == true)
        {
            return;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        using var key = (ECDsa)protector.UnprotectKey(record.EncryptedPrivateKey, KeyPurpose, isRsa: false);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is not tied to the ECDsa instance disposed above.
        var loaded = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        // The CA is what clients trust; the chain sent is the certificate alone, as before, and built here, offline, once.
        Volatile.Write(ref _presented, new Presented(loaded, SslStreamCertificateContext.Create(loaded, additionalCertificates: null, offline: true)));
    }

    private List<string> HostNames()
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1" };
        foreach (var name in options.Value.HostNames)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name.Trim());
            }
        }

        return [.. names];
    }

    private TlsCertificateRecord Issue(List<string> names, string joined, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(options.Value.HostNames.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n) && !IPAddress.TryParse(n, out _))?.Trim() ?? "localhost");
        var request = new CertificateRequest(subject.Build(), key, ca.HashAlgorithm);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        var lifetime = TimeSpan.FromDays(options.Value.LifetimeDays);
        var certificate = IssuanceProfile.Issue(ca, request, ServerAuth, san.Build(), now, lifetime);
        return new TlsCertificateRecord
        {
            CertificateDer = certificate.Der,
            EncryptedPrivateKey = protector.ProtectKey(key, KeyPurpose),
            HostNames = joined,
            NotAfter = certificate.NotAfter,
            CreatedAt = now,
        };
    }
}
