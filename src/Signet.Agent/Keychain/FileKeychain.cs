using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Keychain.Tokens;
using Signet.Protocol.Signatures;

namespace Signet.Agent.Keychain;

/// <summary>The keychain as a folder (src/Signet.Agent/README.md): mode 0700 holding device.key (PEM PKCS#8, 0600), device.crt,
/// ca.crt and agent.json, each replaced atomically. A renewal in progress adds device.key.new (written before its CSR
/// is sent) and device.crt.new; an enrollment in progress adds enrollment.key and enrollment.json. With a PKCS#11 token
/// (<paramref name="newKeysOn"/>, or the token the current key is on) every key file holds only a reference to the
/// key object on the token; a token key is destroyed once no key file refers to it any more.</summary>
internal sealed class FileKeychain(string folder, Func<string, string?>? environment = null, TokenSettings? newKeysOn = null) : IKeychain
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

    /// <summary>A replaced token key's reference, kept until its token object is destroyed (so a crash leaves none behind).</summary>
    public const string ReplacedSuffix = ".old";

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    private string KeyPath => Path.Combine(folder, KeyFileName);
    private string CertificatePath => Path.Combine(folder, CertificateFileName);
    private string CaPath => Path.Combine(folder, CaFileName);
    private string ConfigPath => Path.Combine(folder, ConfigFileName);
    private string PendingKeyPath => KeyPath + PendingSuffix;
    private string PendingCertificatePath => CertificatePath + PendingSuffix;
    private string EnrollmentKeyPath => Path.Combine(folder, EnrollmentKeyFileName);
    private string EnrollmentPath => Path.Combine(folder, EnrollmentFileName);
    private string ReplacedKeyPath => KeyPath + ReplacedSuffix;
    private string[] KeyPaths => [KeyPath, PendingKeyPath, EnrollmentKeyPath, ReplacedKeyPath];

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
        Forget(ReplacedKeyPath);

        var config = AgentConfig.FromJson(ReadAll(ConfigPath))
            ?? throw Damaged($"{ConfigFileName} does not hold serverUrl, computerId and udid");

        var certificate = LoadCertificate(CertificatePath) ?? throw Damaged($"{CertificateFileName} is missing or not a PEM certificate");
        PendingDeviceKey? key;
        try
        {
            key = LoadKey(KeyPath);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        if (key is null)
        {
            certificate.Dispose();
            throw TokenKeyReference.FromKeyFile(ReadAll(KeyPath)) is { } reference
                ? new KeychainException(
                    $"The device key of the keychain in {folder} is not on PKCS#11 token '{reference.Token}': the keychain was made on another computer " +
                    "(a copied folder holds no key), or the token was reset. Remove it with `signet remove-framework` and re-enroll with " +
                    "`signet enroll --server <url> --invitation <code>`.")
                : Damaged($"{KeyFileName} is missing or not a PEM PKCS#8 key");
        }

        if (!key.IsCertifiedBy(certificate))
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

        var signingKey = RequestSigningKey.ForDevice(certificate, key.Key);
        return new DeviceCredentials(config, certificate, ca, key.Type, signingKey, key, renewalPending) { KeyPlacement = key.Placement };
    }

    /// <summary>On the token given to enroll, else on the token the current device key is on, else in memory.</summary>
    public PendingDeviceKey GenerateKey(DeviceKeyType type)
    {
        var token = newKeysOn ?? (File.Exists(KeyPath) ? TokenKeyReference.FromKeyFile(ReadAll(KeyPath))?.Settings : null);
        return token is null ? PendingDeviceKey.Generate(type) : PendingDeviceKey.Generate(type, token, _environment);
    }

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

    public void SavePendingRenewalKey(PendingDeviceKey key) => WriteKey(PendingKeyPath, key);

    public void DiscardPendingRenewalKey()
    {
        Delete(PendingCertificatePath);
        Forget(PendingKeyPath);
    }

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
        WriteKey(EnrollmentKeyPath, key);
        AtomicFile.Write(EnrollmentPath, progress.ToJson());
    }

    public void SaveEnrollmentProgress(EnrollmentProgress progress) => AtomicFile.Write(EnrollmentPath, progress.ToJson());

    public void DiscardEnrollment()
    {
        Delete(EnrollmentPath);
        Forget(EnrollmentKeyPath);
    }

    public void SaveConfig(AgentConfig config) => AtomicFile.Write(ConfigPath, config.ToJson());

    public bool Remove()
    {
        if (!Directory.Exists(folder))
        {
            return false;
        }

        var names = new[]
        {
            ConfigFileName, KeyFileName, CertificateFileName, CaFileName, KeyFileName + PendingSuffix, CertificateFileName + PendingSuffix,
            EnrollmentFileName, EnrollmentKeyFileName, KeyFileName + ReplacedSuffix,
        };
        var found = names.Any(name => File.Exists(Path.Combine(folder, name)));

        // Token keys first: should the token refuse, the references stay and the command can be run again.
        foreach (var path in KeyPaths)
        {
            try
            {
                Forget(path);
            }
            catch (KeychainException e)
            {
                throw new KeychainException(
                    $"{e.Message} The keychain in {folder} was left in place; once the token can be reached, run `signet remove-framework` again.", e);
            }
        }

        foreach (var name in names)
        {
            File.Delete(Path.Combine(folder, name));
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

        WriteKey(PendingKeyPath, key);
        AtomicFile.Write(PendingCertificatePath, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
    }

    /// <summary>Renames the pending pair in. A token key that is replaced is noted first (device.key.old) and destroyed
    /// only after the swap, so the old key signs until the new one is in place and a crash leaves no object behind.</summary>
    private void SwapPending()
    {
        var replaced = File.Exists(KeyPath) ? ReadAll(KeyPath) : null;
        var noteReplaced = replaced is not null && TokenKeyReference.FromKeyFile(replaced) is not null
            && !replaced.AsSpan().SequenceEqual(ReadAll(PendingKeyPath));
        if (noteReplaced)
        {
            AtomicFile.Write(ReplacedKeyPath, replaced);
        }

        AtomicFile.Rename(PendingKeyPath, KeyPath);
        AtomicFile.Rename(PendingCertificatePath, CertificatePath);
        if (noteReplaced)
        {
            Forget(ReplacedKeyPath);
        }
    }

    /// <summary>Writes a key file, letting go of the key the file held before (if it was another).</summary>
    private void WriteKey(string path, PendingDeviceKey key)
    {
        var content = key.ToKeyFile();
        if (File.Exists(path) && !ReadAll(path).AsSpan().SequenceEqual(content))
        {
            Forget(path);
        }

        AtomicFile.Write(path, content);
    }

    /// <summary>Deletes a key file. A token key it refers to is destroyed first, unless another key file still refers
    /// to it (an enrollment's key that became the device key, say).</summary>
    private void Forget(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var content = ReadAll(path);
        if (TokenKeyReference.FromKeyFile(content) is { } reference
            && !KeyPaths.Any(other => other != path && File.Exists(other) && ReadAll(other).AsSpan().SequenceEqual(content)))
        {
            TokenKeys.Destroy(reference, _environment);
        }

        Delete(path);
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

    /// <summary>A stored key without a certificate; an unreadable one (or one its token no longer has) is deleted, and a
    /// new one is made next time.</summary>
    private PendingDeviceKey? LoadPendingKey(string path)
    {
        var key = LoadKey(path);
        if (key is null)
        {
            Delete(path);
        }

        return key;
    }

    /// <summary>The key a key file holds or refers to; null when missing or unreadable.</summary>
    private PendingDeviceKey? LoadKey(string path) => File.Exists(path) ? PendingDeviceKey.FromKeyFile(ReadAll(path), _environment) : null;

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

    private bool PairMatches(string keyPath, string certificatePath)
    {
        using var certificate = LoadCertificate(certificatePath);
        if (certificate is null)
        {
            return false;
        }

        using var key = LoadKey(keyPath);
        return key is not null && key.IsCertifiedBy(certificate);
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

    private void DeleteTemporaryFiles()
    {
        foreach (var leftover in Directory.EnumerateFiles(folder, AtomicFile.TemporaryPrefix + "*"))
        {
            File.Delete(leftover);
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
