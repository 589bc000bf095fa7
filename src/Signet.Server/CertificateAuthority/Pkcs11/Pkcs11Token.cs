using System.Formats.Asn1;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Signet.Server.Hosting;
using ISession = Net.Pkcs11Interop.HighLevelAPI.ISession;

namespace Signet.Server.CertificateAuthority.Pkcs11;

/// <summary>One logged-in session on the token named by <c>Signet:Ca:Pkcs11</c>: finds, generates, imports and destroys
/// CA key pairs and signs with them. Every failure to open is a <see cref="StartRefusedException"/> whose one line names
/// the setting to fix. Not thread-safe: <see cref="Pkcs11CaSigner"/> serialises its use.</summary>
internal sealed class Pkcs11Token : IDisposable
{
    private static readonly Pkcs11InteropFactories Factories = new();
    private static int _resolverInstalled;

    private readonly IPkcs11Library _library;
    private readonly ISlot _slot;
    private readonly string _pin;
    private ISession _session;
    private int _disposed;

    private Pkcs11Token(IPkcs11Library library, ISlot slot, string pin, string label)
    {
        _library = library;
        _slot = slot;
        _pin = pin;
        Label = label;
        _session = OpenSession();
    }

    public string Label { get; }

    /// <summary>Loads the module, selects the token by label and logs in as its user.</summary>
    public static Pkcs11Token Open(Pkcs11CaOptions options)
    {
        var module = Require(options.Module, "Signet:Ca:Pkcs11:Module", "the path of the token's PKCS#11 module (.so)");
        var label = Require(options.Token, "Signet:Ca:Pkcs11:Token", "the label of the token that holds the CA key");
        if (!File.Exists(module))
        {
            throw new StartRefusedException(ServerExitCodes.Configuration, $"Signet:Ca:Pkcs11:Module: the PKCS#11 module {module} does not exist.");
        }

        var pin = ReadPin(options);
        InstallLibdlResolver();
        IPkcs11Library library;
        try
        {
            library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, module, AppType.MultiThreaded);
        }
        catch (Exception e) when (e is UnmanagedException or Pkcs11Exception or DllNotFoundException or BadImageFormatException)
        {
            throw new StartRefusedException(ServerExitCodes.Configuration, $"Signet:Ca:Pkcs11:Module: {module} could not be loaded as a PKCS#11 module ({e.Message}).", e);
        }

        try
        {
            var slots = library.GetSlotList(SlotsType.WithTokenPresent);
            var labels = slots.Select(s => TrimLabel(s.GetTokenInfo().Label)).ToList();
            var index = labels.IndexOf(label);
            labels.RemoveAll(string.IsNullOrEmpty);
            if (index < 0)
            {
                throw new StartRefusedException(ServerExitCodes.Configuration,
                    $"Signet:Ca:Pkcs11:Token: no token labelled '{label}' in {module} " +
                    $"(tokens present: {(labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => $"'{l}'")))}).");
            }

            return new Pkcs11Token(library, slots[index], pin, label);
        }
        catch
        {
            library.Dispose();
            throw;
        }
    }

    /// <summary>Every key pair labelled <paramref name="keyLabel"/>: the private key's handle with its public key.</summary>
    public List<TokenKeyPair> FindKeyPairs(string keyLabel)
    {
        var pairs = new List<TokenKeyPair>();
        foreach (var privateKey in _session.FindAllObjects([Attribute(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), Attribute(CKA.CKA_LABEL, keyLabel)]))
        {
            if (ReadPublicKey(privateKey) is { } publicKey)
            {
                pairs.Add(new TokenKeyPair(privateKey, publicKey));
            }
        }

        return pairs;
    }

    /// <summary>Makes a key pair in the token: private, sensitive, never extractable, for signing only.</summary>
    public TokenKeyPair Generate(string keyLabel, string algorithm)
    {
        var id = RandomNumberGenerator.GetBytes(16);
        List<IObjectAttribute> publicTemplate = [.. CommonPublic(keyLabel, id)];
        List<IObjectAttribute> privateTemplate = [.. CommonPrivate(keyLabel, id)];
        CKM mechanism;
        if (algorithm.StartsWith("RSA-", StringComparison.Ordinal))
        {
            mechanism = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
            publicTemplate.Add(Attribute(CKA.CKA_MODULUS_BITS, ulong.Parse(algorithm[4..], System.Globalization.CultureInfo.InvariantCulture)));
            publicTemplate.Add(Attribute(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
        }
        else
        {
            mechanism = CKM.CKM_EC_KEY_PAIR_GEN;
            publicTemplate.Add(Attribute(CKA.CKA_EC_PARAMS, CurveParameters(algorithm == "ECDSA-P384" ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256)));
        }

        _session.GenerateKeyPair(Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate, out _, out var privateKey);
        return new TokenKeyPair(privateKey, ReadPublicKey(privateKey) ?? throw new CryptographicException("The token did not keep the public key it generated."));
    }

    /// <summary>Copies a software key into the token (private, sensitive, not extractable from then on).</summary>
    public TokenKeyPair Import(string keyLabel, AsymmetricAlgorithm key)
    {
        var id = RandomNumberGenerator.GetBytes(16);
        List<IObjectAttribute> publicTemplate = [Attribute(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), .. CommonPublic(keyLabel, id)];
        List<IObjectAttribute> privateTemplate = [Attribute(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), .. CommonPrivate(keyLabel, id)];
        switch (key)
        {
            case RSA rsa:
                var p = rsa.ExportParameters(includePrivateParameters: true);
                publicTemplate.AddRange([Attribute(CKA.CKA_KEY_TYPE, CKK.CKK_RSA), Attribute(CKA.CKA_MODULUS, p.Modulus!), Attribute(CKA.CKA_PUBLIC_EXPONENT, p.Exponent!)]);
                privateTemplate.AddRange([
                    Attribute(CKA.CKA_KEY_TYPE, CKK.CKK_RSA), Attribute(CKA.CKA_MODULUS, p.Modulus!), Attribute(CKA.CKA_PUBLIC_EXPONENT, p.Exponent!),
                    Attribute(CKA.CKA_PRIVATE_EXPONENT, p.D!), Attribute(CKA.CKA_PRIME_1, p.P!), Attribute(CKA.CKA_PRIME_2, p.Q!),
                    Attribute(CKA.CKA_EXPONENT_1, p.DP!), Attribute(CKA.CKA_EXPONENT_2, p.DQ!), Attribute(CKA.CKA_COEFFICIENT, p.InverseQ!)]);
                break;
            case ECDsa ec:
                var e = ec.ExportParameters(includePrivateParameters: true);
                var curve = CurveParameters(e.Curve);
                publicTemplate.AddRange([Attribute(CKA.CKA_KEY_TYPE, CKK.CKK_EC), Attribute(CKA.CKA_EC_PARAMS, curve), Attribute(CKA.CKA_EC_POINT, EncodePoint(e.Q))]);
                privateTemplate.AddRange([Attribute(CKA.CKA_KEY_TYPE, CKK.CKK_EC), Attribute(CKA.CKA_EC_PARAMS, curve), Attribute(CKA.CKA_VALUE, e.D!)]);
                break;
            default:
                throw new NotSupportedException("The CA key must be RSA or ECDSA.");
        }

        var publicKey = _session.CreateObject(publicTemplate);
        try
        {
            var privateKey = _session.CreateObject(privateTemplate);
            return new TokenKeyPair(privateKey, ReadPublicKey(privateKey) ?? throw new CryptographicException("The token did not keep the imported public key."));
        }
        catch
        {
            _session.DestroyObject(publicKey);
            throw;
        }
    }

    /// <summary>Removes a key pair (one this process generated and then did not use).</summary>
    public void Destroy(IObjectHandle privateKey)
    {
        var id = _session.GetAttributeValue(privateKey, [CKA.CKA_ID])[0].GetValueAsByteArray();
        foreach (var publicKey in _session.FindAllObjects([Attribute(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), Attribute(CKA.CKA_ID, id)]))
        {
            _session.DestroyObject(publicKey);
        }

        _session.DestroyObject(privateKey);
    }

    /// <summary>Signs <paramref name="data"/> in the token: RSA PKCS#1 v1.5 with the hash, or ECDSA (DER-encoded for X.509).</summary>
    public byte[] Sign(IObjectHandle privateKey, bool isRsa, byte[] data, HashAlgorithmName hash)
    {
        if (isRsa)
        {
            var mechanism = hash.Name switch
            {
                "SHA256" => CKM.CKM_SHA256_RSA_PKCS,
                "SHA384" => CKM.CKM_SHA384_RSA_PKCS,
                "SHA512" => CKM.CKM_SHA512_RSA_PKCS,
                _ => throw new CryptographicException($"The CA does not sign with {hash.Name}."),
            };
            return _session.Sign(Factories.MechanismFactory.Create(mechanism), privateKey, data);
        }

        // CKM_ECDSA signs a digest and returns r‖s; X.509 wants the DER SEQUENCE of the two integers.
        var digest = hash.Name switch
        {
            "SHA256" => SHA256.HashData(data),
            "SHA384" => SHA384.HashData(data),
            "SHA512" => SHA512.HashData(data),
            _ => throw new CryptographicException($"The CA does not sign with {hash.Name}."),
        };
        return EcdsaSignatureDer(_session.Sign(Factories.MechanismFactory.Create(CKM.CKM_ECDSA), privateKey, digest));
    }

    /// <summary>r‖s, each as wide as the curve, as the DER SEQUENCE { r INTEGER, s INTEGER } X.509 carries. r or s
    /// begins with a zero byte in about one signature in 128: DER wants it left out.</summary>
    internal static byte[] EcdsaSignatureDer(ReadOnlySpan<byte> raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw[..(raw.Length / 2)]));
            writer.WriteIntegerUnsigned(Minimal(raw[(raw.Length / 2)..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var trimmed = value.TrimStart((byte)0);
        return trimmed.IsEmpty ? value[^1..] : trimmed;
    }

    /// <summary>After the token was reset or reinserted: a new session, logged in again. Handles found before may be stale.</summary>
    public void Reconnect()
    {
        try
        {
            _session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // The old session is gone already.
        }

        _session = OpenSession();
    }

    /// <summary>Idempotent: the container disposes the CA signer both as itself and through its store.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _session.Logout();
        }
        catch (Pkcs11Exception)
        {
            // Not logged in any more (another session of this process logged out): nothing to undo.
        }

        _session.Dispose();
        _library.Dispose();
    }

    private ISession OpenSession()
    {
        var session = _slot.OpenSession(SessionType.ReadWrite);
        try
        {
            session.Login(CKU.CKU_USER, _pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // The login belongs to the application, not the session: an earlier session of this process made it.
        }
        catch (Pkcs11Exception e)
        {
            session.Dispose();
            throw new StartRefusedException(ServerExitCodes.Configuration, e.RV switch
            {
                CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE =>
                    $"The PKCS#11 token '{Label}' refused the PIN ({e.RV}): set the right one in Signet__Ca__Pkcs11__Pin or Signet:Ca:Pkcs11:PinFile.",
                CKR.CKR_PIN_LOCKED => $"The PIN of the PKCS#11 token '{Label}' is locked ({e.RV}): unlock it with the security officer PIN.",
                _ => $"The PKCS#11 token '{Label}' refused the login ({e.RV}).",
            }, e);
        }

        return session;
    }

    private AsymmetricAlgorithm? ReadPublicKey(IObjectHandle privateKey)
    {
        var attributes = _session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_ID]);
        var keyType = (CKK)attributes[0].GetValueAsUlong();
        var id = attributes[1].GetValueAsByteArray() ?? [];
        var publicKey = _session.FindAllObjects([Attribute(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), Attribute(CKA.CKA_ID, id)]).FirstOrDefault();
        if (keyType == CKK.CKK_RSA)
        {
            // An RSA private key carries its public half; a token without the public object still identifies the pair.
            var values = _session.GetAttributeValue(publicKey ?? privateKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            if (values.Any(v => v.CannotBeRead))
            {
                return null;
            }

            return RSA.Create(new RSAParameters { Modulus = values[0].GetValueAsByteArray(), Exponent = values[1].GetValueAsByteArray() });
        }

        if (keyType != CKK.CKK_EC || publicKey is null)
        {
            return null;
        }

        var ec = _session.GetAttributeValue(publicKey, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        var curve = ECCurve.CreateFromValue(AsnDecoder.ReadObjectIdentifier(ec[0].GetValueAsByteArray(), AsnEncodingRules.DER, out _));
        var point = BarePoint(ec[1].GetValueAsByteArray());
        var half = (point.Length - 1) / 2;
        return ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = point[1..(1 + half)], Y = point[(1 + half)..] } });
    }

    /// <summary>PKCS#11 says CKA_EC_POINT is the point DER-wrapped in an OCTET STRING; some tokens return it bare.</summary>
    private static byte[] BarePoint(byte[] value)
    {
        try
        {
            var inner = AsnDecoder.ReadOctetString(value, AsnEncodingRules.BER, out var consumed);
            if (consumed == value.Length && inner.Length % 2 == 1 && inner[0] == 0x04)
            {
                return inner;
            }
        }
        catch (AsnContentException)
        {
        }

        return value;
    }

    private static IObjectAttribute[] CommonPublic(string keyLabel, byte[] id) =>
    [
        // No CKA_VERIFY: tpm2-pkcs11 fails key generation with it beside CKA_DECRYPT=false; tokens default it to true.
        Attribute(CKA.CKA_TOKEN, true), Attribute(CKA.CKA_PRIVATE, false), Attribute(CKA.CKA_LABEL, keyLabel), Attribute(CKA.CKA_ID, id),
    ];

    private static IObjectAttribute[] CommonPrivate(string keyLabel, byte[] id) =>
    [
        Attribute(CKA.CKA_TOKEN, true), Attribute(CKA.CKA_PRIVATE, true), Attribute(CKA.CKA_SENSITIVE, true),
        Attribute(CKA.CKA_EXTRACTABLE, false), Attribute(CKA.CKA_SIGN, true), Attribute(CKA.CKA_DECRYPT, false),
        Attribute(CKA.CKA_LABEL, keyLabel), Attribute(CKA.CKA_ID, id),
    ];

    private static byte[] CurveParameters(ECCurve curve)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(curve.Oid.Value ?? throw new NotSupportedException("Only named curves."));
        return writer.Encode();
    }

    private static byte[] EncodePoint(ECPoint q)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString([0x04, .. q.X!, .. q.Y!]);
        return writer.Encode();
    }

    private static IObjectAttribute Attribute(CKA type, bool value) => Factories.ObjectAttributeFactory.Create(type, value);
    private static IObjectAttribute Attribute(CKA type, ulong value) => Factories.ObjectAttributeFactory.Create(type, value);
    private static IObjectAttribute Attribute(CKA type, string value) => Factories.ObjectAttributeFactory.Create(type, value);
    private static IObjectAttribute Attribute(CKA type, byte[] value) => Factories.ObjectAttributeFactory.Create(type, value);
    private static IObjectAttribute Attribute(CKA type, CKO value) => Factories.ObjectAttributeFactory.Create(type, value);
    private static IObjectAttribute Attribute(CKA type, CKK value) => Factories.ObjectAttributeFactory.Create(type, value);

    private static string TrimLabel(string label) => label.TrimEnd(' ', '\0');

    private static string Require(string? value, string setting, string what) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new StartRefusedException(ServerExitCodes.Configuration, $"Signet:Ca:KeyStore is pkcs11: set {setting} to {what}.")
            : value.Trim();

    private static string ReadPin(Pkcs11CaOptions options)
    {
        if (!string.IsNullOrEmpty(options.Pin))
        {
            return options.Pin;
        }

        if (string.IsNullOrWhiteSpace(options.PinFile))
        {
            throw new StartRefusedException(ServerExitCodes.Configuration, "Signet:Ca:KeyStore is pkcs11: set the token's user PIN in Signet__Ca__Pkcs11__Pin or name a file holding it in Signet:Ca:Pkcs11:PinFile.");
        }

        if (!File.Exists(options.PinFile))
        {
            throw new StartRefusedException(ServerExitCodes.Configuration, $"Signet:Ca:Pkcs11:PinFile: {options.PinFile} does not exist.");
        }

        SecureFile.RefuseIfOpenToOthers(options.PinFile, "PIN file", "");
        return File.ReadAllText(options.PinFile).TrimEnd('\r', '\n');
    }

    /// <summary>Pkcs11Interop 5.3 loads modules through "libdl", which glibc 2.34+ systems ship only as libdl.so.2.</summary>
    private static void InstallLibdlResolver()
    {
        if (OperatingSystem.IsWindows() || Interlocked.Exchange(ref _resolverInstalled, 1) != 0)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, static (name, assembly, path) =>
            name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", assembly, path, out var handle) ? handle : IntPtr.Zero);
    }
}
