using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.CertificateAuthority.Pkcs11;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.CertificateAuthority;

/// <summary>Creates the CA on first start (exactly once, even with two nodes starting together) and loads it, with its
/// key either in the database (encrypted under the master key) or in a PKCS#11 token (<c>Signet:Ca:KeyStore</c>).</summary>
internal sealed class CertificateAuthorityStore(
    IServiceScopeFactory scopes,
    PrivateKeyProtector protector,
    IOptions<CaOptions> options,
    TimeProvider time) : IDisposable
{
    /// <summary>What the CA key is encrypted for (restore checks a backup's key with it).</summary>
    internal const string KeyPurpose = "ca";
    private ICaSigner? _signer;

    /// <summary>The loaded signer; available once <see cref="InitializeAsync"/> has run.</summary>
    public ICaSigner Signer => _signer ?? throw new InvalidOperationException("The CA has not been loaded yet.");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var record = await db.CertificateAuthorities.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var settings = options.Value;
        if (record is not null && record.KeyStore != (settings.UsesPkcs11 ? CaKeyStores.Pkcs11 : CaKeyStores.Database))
        {
            throw new StartRefusedException(record.KeyStore == CaKeyStores.Pkcs11
                ? "This installation's CA key is in a PKCS#11 token: set Signet:Ca:KeyStore=pkcs11 and Signet:Ca:Pkcs11:Module, :Token and the PIN."
                : "This installation's CA key is in the database, not in a token: move it there with `signet-server ca init --key-store pkcs11 " +
                  "--import-database-key`, or set Signet:Ca:KeyStore=database.");
        }

        _signer = settings.UsesPkcs11
            ? await OpenPkcs11Async(db, record, cancellationToken)
            : await OpenDatabaseKeyAsync(db, record, cancellationToken);
    }

    /// <summary><c>ca init --import-database-key</c>: copies the database-held CA key into the token, then removes it from
    /// the database. Run again after an interruption, it finds the key already in the token and finishes.</summary>
    public async Task<bool> MoveKeyToTokenAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var record = await db.CertificateAuthorities.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (record is null || record.KeyStore == CaKeyStores.Pkcs11 || record.EncryptedPrivateKey is null)
        {
            return false;
        }

        var settings = options.Value.Pkcs11;
        var certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        var token = Pkcs11Token.Open(settings);
        try
        {
            var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            if (token.FindKeyPairs(settings.KeyLabel).FirstOrDefault(k => k.Matches(spki)) is null)
            {
                using var key = protector.UnprotectKey(record.EncryptedPrivateKey, KeyPurpose, IsRsa(record.KeyAlgorithm));
                token.Import(settings.KeyLabel, key);
            }

            // The encrypted key's bytes are overwritten, not just unlinked, so the database file no longer holds them
            // (secure_delete is per connection: keep this one open for the update and the checkpoint).
            await db.Database.OpenConnectionAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", cancellationToken);
            }

            await db.CertificateAuthorities
                .Where(c => c.Id == CaRecord.SingletonId && c.KeyStore == CaKeyStores.Database)
                .ExecuteUpdateAsync(c => c.SetProperty(r => r.KeyStore, CaKeyStores.Pkcs11).SetProperty(r => r.EncryptedPrivateKey, (byte[]?)null),
                    cancellationToken);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
            }

            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            token.Dispose();
            certificate.Dispose();
        }
    }

    public void Dispose() => (_signer as IDisposable)?.Dispose();

    private async Task<ICaSigner> OpenDatabaseKeyAsync(SignetDbContext db, CaRecord? record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            var algorithm = options.Value.KeyAlgorithm.ToUpperInvariant();
            using var key = CreateKey(algorithm);
            var (generator, hash) = SoftwareCaSigner.Profile(key);
            using var created = CreateCertificate(generator, hash, time.GetUtcNow(), options.Value.LifetimeYears);
            record = await InsertAsync(db, created, algorithm, CaKeyStores.Database, protector.ProtectKey(key, KeyPurpose), cancellationToken);
        }

        var certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        AsymmetricAlgorithm privateKey;
        try
        {
            privateKey = protector.UnprotectKey(record.EncryptedPrivateKey!, KeyPurpose, IsRsa(record.KeyAlgorithm));
        }
        catch (CryptographicException e)
        {
            throw new StartRefusedException(ServerExitCodes.Configuration,
                "The CA's private key cannot be decrypted with this master key: start with the master key this database was " +
                "created with (<data>/master.key or Signet:MasterKey); without it the CA cannot be used.", e);
        }

        return new SoftwareCaSigner(certificate, privateKey);
    }

    /// <summary>The CA in a token: on first start the key labelled <c>KeyLabel</c> is used if the token has one (made by
    /// the operator or by <c>ca init</c>), else generated there; later starts find the key that matches the certificate.</summary>
    private async Task<ICaSigner> OpenPkcs11Async(SignetDbContext db, CaRecord? record, CancellationToken cancellationToken)
    {
        var settings = options.Value.Pkcs11;
        var token = Pkcs11Token.Open(settings);
        try
        {
            if (record is not null)
            {
                var certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
                var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
                var found = token.FindKeyPairs(settings.KeyLabel).FirstOrDefault(k => k.Matches(spki)) ?? throw new StartRefusedException(ServerExitCodes.Configuration,
                    $"Signet:Ca:Pkcs11: the token '{token.Label}' holds no key labelled '{settings.KeyLabel}' that belongs to this installation's CA " +
                    $"(SHA-256 {CaFingerprint.Sha256Hex(certificate)}): check Signet:Ca:Pkcs11:Token and :KeyLabel.");
                return new Pkcs11CaSigner(certificate, new Pkcs11CaKey(token, found, settings.KeyLabel));
            }

            var existing = token.FindKeyPairs(settings.KeyLabel);
            if (existing.Count > 1)
            {
                throw new StartRefusedException(ServerExitCodes.Configuration,
                    $"Signet:Ca:Pkcs11:KeyLabel: the token '{token.Label}' holds {existing.Count} keys labelled '{settings.KeyLabel}'; label the CA key uniquely.");
            }

            var generated = existing.Count == 0;
            var pair = generated ? token.Generate(settings.KeyLabel, options.Value.KeyAlgorithm.ToUpperInvariant()) : existing[0];
            var algorithm = AlgorithmOf(pair.PublicKey) ?? throw new StartRefusedException(ServerExitCodes.Configuration,
                $"Signet:Ca:Pkcs11:KeyLabel: the key '{settings.KeyLabel}' in the token is not one the CA uses ({string.Join(", ", CaOptions.KeyAlgorithms)}).");
            var key = new Pkcs11CaKey(token, pair, settings.KeyLabel);
            using var created = CreateCertificate(key.SignatureGenerator, key.HashAlgorithm, time.GetUtcNow(), options.Value.LifetimeYears);
            var stored = await InsertAsync(db, created, algorithm, CaKeyStores.Pkcs11, null, cancellationToken);
            var winner = X509CertificateLoader.LoadCertificate(stored.CertificateDer);
            var winnerSpki = winner.PublicKey.ExportSubjectPublicKeyInfo();
            if (pair.Matches(winnerSpki))
            {
                return new Pkcs11CaSigner(winner, key);
            }

            // Another node made the CA first, with its own key in the same token: ours was never used.
            if (generated)
            {
                token.Destroy(pair.PrivateKey);
            }

            var winnerKey = token.FindKeyPairs(settings.KeyLabel).FirstOrDefault(k => k.Matches(winnerSpki)) ?? throw new StartRefusedException(ServerExitCodes.Configuration,
                $"Signet:Ca:Pkcs11: another node created this installation's CA with a key that is not in the token '{token.Label}'.");
            return new Pkcs11CaSigner(winner, new Pkcs11CaKey(token, winnerKey, settings.KeyLabel));
        }
        catch
        {
            token.Dispose();
            throw;
        }
    }

    private static async Task<CaRecord> InsertAsync(SignetDbContext db, X509Certificate2 certificate, string algorithm, string keyStore,
        byte[]? encryptedPrivateKey, CancellationToken cancellationToken)
    {
        var record = new CaRecord
        {
            Id = CaRecord.SingletonId,
            CertificateDer = certificate.RawData,
            EncryptedPrivateKey = encryptedPrivateKey,
            KeyAlgorithm = algorithm,
            KeyStore = keyStore,
            CreatedAt = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero).AddMinutes(5),
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

    private static bool IsRsa(string algorithm) => algorithm.StartsWith("RSA", StringComparison.Ordinal);

    private static string? AlgorithmOf(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa when rsa.KeySize is 2048 or 3072 or 4096 => $"RSA-{rsa.KeySize}",
        ECDsa ec when ec.KeySize == 256 => "ECDSA-P256",
        ECDsa ec when ec.KeySize == 384 => "ECDSA-P384",
        _ => null,
    };

    private static AsymmetricAlgorithm CreateKey(string algorithm) => algorithm switch
    {
        "RSA-2048" => RSA.Create(2048),
        "RSA-3072" => RSA.Create(3072),
        "RSA-4096" => RSA.Create(4096),
        "ECDSA-P256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ECDSA-P384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new InvalidOperationException($"Unsupported Signet:Ca:KeyAlgorithm '{algorithm}'."),
    };

    /// <summary>A self-signed CA certificate whose signature is made by <paramref name="generator"/> (software or token).</summary>
    private static X509Certificate2 CreateCertificate(X509SignatureGenerator generator, HashAlgorithmName hash, DateTimeOffset now, int years)
    {
        var name = new X500DistinguishedNameBuilder();
        // The suffix tells installs apart, so an agent enrolled with one server never trusts another by name.
        // The builder encodes in reverse order of the calls: this yields the usual O-then-CN encoding.
        name.AddCommonName("Signet Device CA " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        name.AddOrganizationName("Signet");
        var subject = name.Build();

        var request = new CertificateRequest(subject, generator.PublicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        return request.Create(subject, generator, now.AddMinutes(-5), now.AddYears(years), IssuanceProfile.NewSerialNumber());
    }
}
