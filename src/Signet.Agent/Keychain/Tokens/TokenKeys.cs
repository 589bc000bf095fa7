using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>Device key pairs on a PKCS#11 token: generated there (private, sensitive, not extractable, signing only),
/// found again by their CKA_ID, and destroyed when the keychain lets go of them.</summary>
internal static class TokenKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const int RsaBits = 2048;

    /// <summary>Generates a key pair on the token; the result signs through the token.</summary>
    public static AsymmetricAlgorithm Generate(TokenSettings settings, DeviceKeyType type, Func<string, string?> environment)
    {
        var connection = TokenConnection.Connect(settings, environment);
        var (generator, signer) = type == DeviceKeyType.Rsa
            ? (CKM.CKM_RSA_PKCS_KEY_PAIR_GEN, new[] { CKM.CKM_RSA_PKCS_PSS })
            : (CKM.CKM_EC_KEY_PAIR_GEN, new[] { CKM.CKM_ECDSA });
        // Checked up front so an unsupported key type is named, not reported as a failed generation.
        RequireMechanisms(connection, type, [generator, .. signer]);

        var id = RandomNumberGenerator.GetBytes(16);
        var label = "signet-device-" + Convert.ToHexStringLower(id.AsSpan(0, 4));
        var attributes = TokenConnection.Factories.ObjectAttributeFactory;
        var publicTemplate = new List<IObjectAttribute>
        {
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, false),
            attributes.Create(CKA.CKA_ID, id),
            attributes.Create(CKA.CKA_LABEL, label),
        };
        // CKA_VERIFY is left to the token's default: tpm2-pkcs11 refuses it beside a private key without CKA_DECRYPT.
        publicTemplate.AddRange(type switch
        {
            DeviceKeyType.Rsa => [attributes.Create(CKA.CKA_MODULUS_BITS, (ulong)RsaBits), attributes.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 1, 0, 1 })],
            DeviceKeyType.EcP256 => [attributes.Create(CKA.CKA_EC_PARAMS, CurveParameters(P256Oid))],
            _ => [attributes.Create(CKA.CKA_EC_PARAMS, CurveParameters(P384Oid))],
        });
        var privateTemplate = new List<IObjectAttribute>
        {
            attributes.Create(CKA.CKA_TOKEN, true),
            attributes.Create(CKA.CKA_PRIVATE, true),
            attributes.Create(CKA.CKA_SENSITIVE, true),
            attributes.Create(CKA.CKA_EXTRACTABLE, false),
            attributes.Create(CKA.CKA_SIGN, true),
            attributes.Create(CKA.CKA_DECRYPT, false),
            attributes.Create(CKA.CKA_ID, id),
            attributes.Create(CKA.CKA_LABEL, label),
        };

        using var mechanism = TokenConnection.Factories.MechanismFactory.Create(generator);
        lock (connection.Sync)
        {
            try
            {
                connection.Session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out _, out _);
            }
            catch (Pkcs11Exception e)
            {
                throw TokenErrors.Translate(e, connection.Description, $"{TokenErrors.Generating} an {type.Describe()} key");
            }
        }

        var reference = new TokenKeyReference(TokenKeyReference.Pkcs11, settings.Module, settings.Token, Convert.ToHexStringLower(id), settings.PinFile);
        return Open(reference, environment)
            ?? throw new KeychainException($"{connection.Description} generated a key pair but does not find it again; check the token with pkcs11-tool --list-objects.");
    }

    /// <summary>The key a reference names; null when the token has no such key (the reference was copied from another
    /// computer, or the token was reset). Throws <see cref="KeychainException"/> when the token cannot be reached.</summary>
    public static AsymmetricAlgorithm? Open(TokenKeyReference reference, Func<string, string?> environment)
    {
        var connection = TokenConnection.Connect(reference.Settings, environment);
        var id = Convert.FromHexString(reference.Id);
        lock (connection.Sync)
        {
            try
            {
                var privateKey = Find(connection, CKO.CKO_PRIVATE_KEY, id);
                var publicKey = Find(connection, CKO.CKO_PUBLIC_KEY, id);
                if (privateKey is null || publicKey is null)
                {
                    return null;
                }

                var flags = connection.Session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE]);
                var key = new TokenKey(connection, privateKey, reference, flags[1].GetValueAsBool(), flags[2].GetValueAsBool());
                return (CKK)flags[0].GetValueAsUlong() switch
                {
                    CKK.CKK_RSA => ReadRsa(connection, publicKey, key),
                    CKK.CKK_EC => ReadEc(connection, publicKey, key),
                    _ => null,
                };
            }
            catch (Pkcs11Exception e)
            {
                throw TokenErrors.Translate(e, connection.Description, "reading the device key");
            }
        }
    }

    /// <summary>Destroys the key pair a reference names (nothing when it is gone already).</summary>
    public static void Destroy(TokenKeyReference reference, Func<string, string?> environment)
    {
        var connection = TokenConnection.Connect(reference.Settings, environment);
        var id = Convert.FromHexString(reference.Id);
        lock (connection.Sync)
        {
            try
            {
                foreach (var kind in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY })
                {
                    if (Find(connection, kind, id) is { } handle)
                    {
                        connection.Session.DestroyObject(handle);
                    }
                }
            }
            catch (Pkcs11Exception e)
            {
                throw TokenErrors.Translate(e, connection.Description, "removing a device key");
            }
        }
    }

    private static void RequireMechanisms(TokenConnection connection, DeviceKeyType type, CKM[] needed)
    {
        List<CKM> offered;
        try
        {
            offered = connection.Slot.GetMechanismList();
        }
        catch (Pkcs11Exception e)
        {
            throw TokenErrors.Translate(e, connection.Description, "listing its mechanisms");
        }

        foreach (var mechanism in needed.Where(m => !offered.Contains(m)))
        {
            throw new KeychainException(
                $"{connection.Description} does not support {Name(mechanism)}, which {type.Describe()} keys need; choose another --key-type (rsa, ec-p256, ec-p384) or another token.");
        }
    }

    // CKM_EC_KEY_PAIR_GEN shares its value with the older CKM_ECDSA_KEY_PAIR_GEN, which Enum.ToString may pick.
    private static string Name(CKM mechanism) => mechanism == CKM.CKM_EC_KEY_PAIR_GEN ? "CKM_EC_KEY_PAIR_GEN" : mechanism.ToString();

    private static IObjectHandle? Find(TokenConnection connection, CKO kind, byte[] id)
    {
        var attributes = TokenConnection.Factories.ObjectAttributeFactory;
        var found = connection.Session.FindAllObjects([attributes.Create(CKA.CKA_CLASS, kind), attributes.Create(CKA.CKA_ID, id)]);
        return found.Count == 0 ? null : found[0];
    }

    private static TokenRsa ReadRsa(TokenConnection connection, IObjectHandle publicKey, TokenKey key)
    {
        var values = connection.Session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
        return new TokenRsa(key, new RSAParameters { Modulus = TrimLeadingZeros(values[0].GetValueAsByteArray()), Exponent = TrimLeadingZeros(values[1].GetValueAsByteArray()) });
    }

    private static TokenEcdsa? ReadEc(TokenConnection connection, IObjectHandle publicKey, TokenKey key)
    {
        var values = connection.Session.GetAttributeValue(publicKey, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        var curveOid = new AsnReader(values[0].GetValueAsByteArray(), AsnEncodingRules.DER).ReadObjectIdentifier();
        var (curve, size) = curveOid switch
        {
            P256Oid => (ECCurve.NamedCurves.nistP256, 32),
            P384Oid => (ECCurve.NamedCurves.nistP384, 48),
            _ => (default(ECCurve), 0),
        };
        if (size == 0)
        {
            return null;
        }

        // CKA_EC_POINT is the DER OCTET STRING of the uncompressed point (some modules give the bare point).
        var point = values[1].GetValueAsByteArray();
        if (point.Length != (2 * size) + 1)
        {
            point = new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
        }

        if (point.Length != (2 * size) + 1 || point[0] != 0x04)
        {
            return null;
        }

        return new TokenEcdsa(key, new ECParameters { Curve = curve, Q = new ECPoint { X = point[1..(size + 1)], Y = point[(size + 1)..] } });
    }

    private static byte[] CurveParameters(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
