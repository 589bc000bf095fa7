using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Protocol.Signatures;

namespace Signet.Agent.Keychain;

/// <summary>The keychain as a folder (src/Signet.Agent/README.md): mode 0700 holding device.key (PEM PKCS#8, 0600), device.crt,
/// ca.crt and agent.json, each replaced atomically. A renewal in progress adds device.key.new (written before its CSR
/// is sent) and device.crt.new; an enrollment in progress adds enrollment.key and enrollment.json.</summary>
internal sealed class FileKeychain(string folder) : IKeychain
{
    public const string KeyFileName = "device.key";
    public const string CertificateFileName = "device.crt";
    public const string CaFileName = "ca.crt";
    public const string ConfigFileName = "agent.json";

    /// <summary>The key of an enrollment in progress (PEM PKCS#8, 0600), written before its CSR is sent.</summary>
    public const string EnrollmentKeyFileName = "enrollment.key";

    /// <summary>The state of an enrollment in progress (<see cref="EnrollmentProgress"/>), written after its key.</summary>
    public const string EnrollmentFileName = "enrollment.json";

    /// <summary>Suffix of a renewed key or certificate that is written but not yet swapped in.</summary>
    public const string PendingSuffix = ".new";

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    private string KeyPath => Path.Combine(folder, KeyFileName);
    private string CertificatePath => Path.Combine(folder, CertificateFileName);
    private string CaPath => Path.Combine(folder, CaFileName);
    private string ConfigPath => Path.Combine(folder, ConfigFileName);
    private string PendingKeyPath => KeyPath + PendingSuffix;
    private string PendingCertificatePath => CertificatePath + PendingSuffix;
    private string EnrollmentKeyPath => Path.Combine(folder, EnrollmentKeyFileName);
    private string EnrollmentPath => Path.Combine(folder, EnrollmentFileName);

    public string Location => folder;

    public DeviceCredentials? Open()
    {
        // agent.json is written last at enrollment, so without it there is no (complete) enrollment.
        if (!File.Exists(ConfigPath))
        {
            return null;
        }

        KeychainPermissions.Check(folder, KeyPath, PendingKeyPath);
        DeleteTemporaryFiles();
        var renewalPending = FinishInterruptedRenewal();

        var config = AgentConfig.FromJson(ReadAll(ConfigPath))
            ?? throw Damaged($"{ConfigFileName} does not hold serverUrl, computerId and udid");

        var certificate = LoadCertificate(CertificatePath) ?? throw Damaged($"{CertificateFileName} is missing or not a PEM certificate");
        var key = LoadKey(KeyPath, certificate);
        if (key is null)
        {
            certificate.Dispose();
            throw Damaged($"{KeyFileName} is missing or not a PEM PKCS#8 key of the certificate's type");
        }

        if (!KeyMatch.CertificateMatchesKey(certificate, key))
        {
            key.Dispose();
            certificate.Dispose();
            throw Damaged($"{CertificateFileName} does not certify {KeyFileName}");
        }

        var ca = new X509Certificate2Collection();
        try
        {
            ca.ImportFromPem(File.ReadAllText(CaPath));
        }
        catch (Exception e) when (e is IOException or CryptographicException)
        {
            // Handled by the emptiness check below.
        }

        if (ca.Count == 0)
        {
            key.Dispose();
            certificate.Dispose();
            throw Damaged($"{CaFileName} is missing or holds no certificate");
        }

        if (KeyMatch.TypeOf(key) is not { } keyType)
        {
            key.Dispose();
            certificate.Dispose();
            throw Damaged($"{KeyFileName} is not an RSA, P-256 or P-384 key");
        }

        var signingKey = RequestSigningKey.ForDevice(certificate, key);
        return new DeviceCredentials(config, certificate, ca, keyType, signingKey, key, renewalPending);
    }

    public PendingDeviceKey GenerateKey(DeviceKeyType type) => PendingDeviceKey.Generate(type);

    public void Create(AgentConfig config, PendingDeviceKey key, X509Certificate2 certificate, X509Certificate2Collection caCertificates)
    {
        KeychainPermissions.CreateFolder(folder);
        // Key and certificate go through the same two-step swap as a renewal, so re-enrolling over an existing
        // keychain never pairs a new key with an old certificate; agent.json last marks the enrollment complete.
        // The enrollment in progress goes after that; a crash before it is cleaned up by OpenPendingEnrollment, which
        // sees that its key is now the device key.
        WritePending(key, certificate);
        AtomicFile.Write(CaPath, Encoding.ASCII.GetBytes(ToPem(caCertificates)));
        SwapPending();
        AtomicFile.Write(ConfigPath, config.ToJson());
        DiscardEnrollment();
    }

    public void ReplaceIdentity(PendingDeviceKey key, X509Certificate2 certificate)
    {
        WritePending(key, certificate);
        SwapPending();
    }

    public PendingDeviceKey? OpenPendingRenewalKey() => File.Exists(PendingKeyPath) ? LoadPendingKey(PendingKeyPath) : null;

    public void SavePendingRenewalKey(PendingDeviceKey key) => AtomicFile.Write(PendingKeyPath, Encoding.ASCII.GetBytes(key.ExportPem()));

    public void DiscardPendingRenewalKey() => Delete(PendingKeyPath, PendingCertificatePath);

    public PendingEnrollment? OpenPendingEnrollment()
    {
        if (!File.Exists(EnrollmentPath))
        {
            // The key is written first: a key without its state is from an enrollment whose CSR was never sent.
            Delete(EnrollmentKeyPath);
            return null;
        }

        KeychainPermissions.Check(folder, EnrollmentKeyPath);
        DeleteTemporaryFiles();
        var progress = EnrollmentProgress.FromJson(ReadAll(EnrollmentPath));
        var key = File.Exists(EnrollmentKeyPath) ? LoadPendingKey(EnrollmentKeyPath) : null;
        if (progress is null || key is null || IsDeviceKey(key))
        {
            // Unreadable state is started over; a key that is already the device key was stored by Create, which
            // was interrupted before it removed the enrollment files.
            key?.Dispose();
            DiscardEnrollment();
            return null;
        }

        return new PendingEnrollment(progress, key);
    }

    public void StartEnrollment(EnrollmentProgress progress, PendingDeviceKey key)
    {
        KeychainPermissions.CreateFolder(folder);
        // The state last: it is what makes the key an enrollment in progress.
        Delete(EnrollmentPath);
        AtomicFile.Write(EnrollmentKeyPath, Encoding.ASCII.GetBytes(key.ExportPem()));
        AtomicFile.Write(EnrollmentPath, progress.ToJson());
    }

    public void SaveEnrollmentProgress(EnrollmentProgress progress) => AtomicFile.Write(EnrollmentPath, progress.ToJson());

    public void DiscardEnrollment() => Delete(EnrollmentPath, EnrollmentKeyPath);

    public void SaveConfig(AgentConfig config) => AtomicFile.Write(ConfigPath, config.ToJson());

    public bool Remove()
    {
        if (!Directory.Exists(folder))
        {
            return false;
        }

        var found = false;
        foreach (var name in new[]
                 {
                     ConfigFileName, KeyFileName, CertificateFileName, CaFileName, KeyFileName + PendingSuffix, CertificateFileName + PendingSuffix,
                     EnrollmentFileName, EnrollmentKeyFileName,
                 })
        {
            var path = Path.Combine(folder, name);
            found |= File.Exists(path);
            File.Delete(path);
        }

        DeleteTemporaryFiles();
        // Only our own files go: a --keychain pointed at a folder with other content must not lose it.
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return found;
    }

    private void WritePending(PendingDeviceKey key, X509Certificate2 certificate)
    {
        if (!key.IsCertifiedBy(certificate))
        {
            throw new KeychainException("The certificate does not certify the new key; nothing was stored.");
        }

        AtomicFile.Write(PendingKeyPath, Encoding.ASCII.GetBytes(key.ExportPem()));
        AtomicFile.Write(PendingCertificatePath, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
    }

    private void SwapPending()
    {
        AtomicFile.Rename(PendingKeyPath, KeyPath);
        AtomicFile.Rename(PendingCertificatePath, CertificatePath);
    }

    /// <summary>After a crash during a renewal: a complete pending pair is swapped in; a pending certificate whose key
    /// was already swapped in follows it; any other pending certificate is dropped. A pending key alone is kept: its
    /// CSR may have reached the server, which then holds a certificate for it that the next renewal fetches. Returns
    /// true when such a key remains.</summary>
    private bool FinishInterruptedRenewal()
    {
        var hasKey = File.Exists(PendingKeyPath);
        var hasCertificate = File.Exists(PendingCertificatePath);
        if (!hasKey && !hasCertificate)
        {
            return false;
        }

        if (hasKey && hasCertificate && PairMatches(PendingKeyPath, PendingCertificatePath))
        {
            SwapPending();
            return false;
        }

        if (hasCertificate && PairMatches(KeyPath, PendingCertificatePath))
        {
            AtomicFile.Rename(PendingCertificatePath, CertificatePath);
        }
        else
        {
            Delete(PendingCertificatePath);
        }

        if (!hasKey)
        {
            return false;
        }

        using var pendingKey = LoadPendingKey(PendingKeyPath);
        return pendingKey is not null;
    }

    /// <summary>A stored key without a certificate; an unreadable one is deleted (a new one is made next time).</summary>
    private PendingDeviceKey? LoadPendingKey(string path)
    {
        var key = PendingDeviceKey.FromPem(ReadText(path));
        if (key is null)
        {
            Delete(path);
        }

        return key;
    }

    /// <summary>True when an enrolled keychain's certificate certifies <paramref name="key"/>.</summary>
    private bool IsDeviceKey(PendingDeviceKey key)
    {
        if (!File.Exists(ConfigPath))
        {
            return false;
        }

        using var certificate = LoadCertificate(CertificatePath);
        return certificate is not null && key.IsCertifiedBy(certificate);
    }

    private void Delete(params string[] paths)
    {
        var deleted = false;
        foreach (var path in paths.Where(File.Exists))
        {
            File.Delete(path);
            deleted = true;
        }

        if (deleted)
        {
            AtomicFile.SyncFolder(folder);
        }
    }

    private static bool PairMatches(string keyPath, string certificatePath)
    {
        using var certificate = LoadCertificate(certificatePath);
        if (certificate is null)
        {
            return false;
        }

        using var key = LoadKey(keyPath, certificate);
        return key is not null && KeyMatch.CertificateMatchesKey(certificate, key);
    }

    private static X509Certificate2? LoadCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The private key, of the type the certificate names; null when missing or unreadable.</summary>
    private static AsymmetricAlgorithm? LoadKey(string path, X509Certificate2 certificate)
    {
        AsymmetricAlgorithm? key = certificate.GetKeyAlgorithm() switch
        {
            RsaOid => RSA.Create(),
            EcOid => ECDsa.Create(),
            _ => null,
        };
        if (key is null)
        {
            return null;
        }

        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            return null;
        }
    }

    private void DeleteTemporaryFiles()
    {
        foreach (var leftover in Directory.EnumerateFiles(folder, AtomicFile.TemporaryPrefix + "*"))
        {
            File.Delete(leftover);
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string ToPem(X509Certificate2Collection certificates)
    {
        var builder = new StringBuilder();
        foreach (var certificate in certificates)
        {
            builder.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return builder.ToString();
    }

    private KeychainException Damaged(string what) => new(
        $"The keychain in {folder} is damaged: {what}. Remove it with `signet remove-framework` and re-enroll with " +
        "`signet enroll --server <url> --invitation <code>`.");
}
