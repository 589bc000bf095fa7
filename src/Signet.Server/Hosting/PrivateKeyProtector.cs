using System.Security.Cryptography;

namespace Signet.Server.Hosting;

/// <summary>Encrypts private keys (PKCS#8) at rest with AES-256-GCM under a key derived from the master key.
/// Layout: nonce (12) ‖ tag (16) ‖ ciphertext.</summary>
internal sealed class PrivateKeyProtector(MasterKey masterKey)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key = masterKey.DeriveKey("signet/private-keys/v1");

    public byte[] Protect(ReadOnlySpan<byte> pkcs8, string purpose)
    {
        var output = new byte[NonceSize + TagSize + pkcs8.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, pkcs8, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize),
            System.Text.Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the data was altered or the master key is wrong.</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> protectedKey, string purpose)
    {
        if (protectedKey.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected key is truncated.");
        }

        var plaintext = new byte[protectedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedKey[..NonceSize], protectedKey[(NonceSize + TagSize)..], protectedKey.Slice(NonceSize, TagSize),
            plaintext, System.Text.Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }

    /// <summary>Encrypts the private key of an RSA or ECDSA key.</summary>
    public byte[] ProtectKey(AsymmetricAlgorithm key, string purpose)
    {
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return Protect(pkcs8, purpose);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Decrypts and imports a key written by <see cref="ProtectKey"/>.</summary>
    public AsymmetricAlgorithm UnprotectKey(ReadOnlySpan<byte> protectedKey, string purpose, bool isRsa)
    {
        var pkcs8 = Unprotect(protectedKey, purpose);
        try
        {
            AsymmetricAlgorithm key = isRsa ? RSA.Create() : ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
