using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.CertificateAuthority;

/// <summary>Creates the CA on first start (exactly once, even with two nodes starting together) and loads it.</summary>
internal sealed class CertificateAuthorityStore(
    IServiceScopeFactory scopes,
    PrivateKeyProtector protector,
    IOptions<CaOptions> options,
    TimeProvider time) : IDisposable
{
    /// <summary>What the CA key is encrypted for (restore checks a backup's key with it).</summary>
    internal const string KeyPurpose = "ca";
    private SoftwareCaSigner? _signer;

    /// <summary>The loaded signer; available once <see cref="InitializeAsync"/> has run.</summary>
    public ICaSigner Signer => _signer ?? throw new InvalidOperationException("The CA has not been loaded yet.");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var record = await db.CertificateAuthorities.AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? await CreateAsync(db, cancellationToken);

        var certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        AsymmetricAlgorithm key;
        try
        {
            key = protector.UnprotectKey(record.EncryptedPrivateKey, KeyPurpose, record.KeyAlgorithm.StartsWith("RSA", StringComparison.Ordinal));
        }
        catch (CryptographicException e)
        {
            throw new StartRefusedException(ServerExitCodes.Configuration,
                "The CA's private key cannot be decrypted with this master key: start with the master key this database was " +
                "created with (<data>/master.key or Signet:MasterKey); without it the CA cannot be used.", e);
        }

        _signer = new SoftwareCaSigner(certificate, key);
    }

    public void Dispose() => _signer?.Dispose();

    private async Task<CaRecord> CreateAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        var algorithm = options.Value.KeyAlgorithm.ToUpperInvariant();
        using var key = CreateKey(algorithm);
        var now = time.GetUtcNow();
        using var certificate = CreateCertificate(key, now, options.Value.LifetimeYears);
        var record = new CaRecord
        {
            Id = CaRecord.SingletonId,
            CertificateDer = certificate.RawData,
            EncryptedPrivateKey = protector.ProtectKey(key, KeyPurpose),
            KeyAlgorithm = algorithm,
            CreatedAt = now,
        };
        db.CertificateAuthorities.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return record;
        }
        catch (DbUpdateException)
        {
            // Another node (or process) created the CA first: the primary key refused ours, so use theirs.
            db.ChangeTracker.Clear();
            return await db.CertificateAuthorities.AsNoTracking().SingleAsync(cancellationToken);
        }
    }

    private static AsymmetricAlgorithm CreateKey(string algorithm) => algorithm switch
    {
        "RSA-2048" => RSA.Create(2048),
        "RSA-3072" => RSA.Create(3072),
        "RSA-4096" => RSA.Create(4096),
        "ECDSA-P256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ECDSA-P384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new InvalidOperationException($"Unsupported Signet:Ca:KeyAlgorithm '{algorithm}'."),
    };

    private static X509Certificate2 CreateCertificate(AsymmetricAlgorithm key, DateTimeOffset now, int years)
    {
        var name = new X500DistinguishedNameBuilder();
        // The suffix tells installs apart, so an agent enrolled with one server never trusts another by name.
        // The builder encodes in reverse order of the calls: this yields the usual O-then-CN encoding.
        name.AddCommonName("Signet Device CA " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        name.AddOrganizationName("Signet");
        var subject = name.Build();

        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, ec.KeySize > 256 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(years));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }
}
