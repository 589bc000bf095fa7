using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Signet.EndToEnd.Tests;

/// <summary>Looks at a key on a test token the way anyone holding the PIN could, through the token's own module loaded
/// into the test process: the module reads its configuration (SOFTHSM2_CONF, TPM2_PKCS11_STORE) from the native
/// environment at C_Initialize, so probes are one at a time and set it first.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class TokenProbe
{
    private static readonly Lock Sync = new();
    private static readonly Pkcs11InteropFactories Factories = new();
    private static bool _resolverSet;

    /// <summary>What the token says about a private key: CKA_EXTRACTABLE, CKA_SENSITIVE, and whether any secret part of
    /// it (CKA_VALUE, CKA_PRIVATE_EXPONENT, CKA_PRIME_1) came back readable.</summary>
    internal sealed record PrivateKeyFacts(bool Extractable, bool Sensitive, bool SecretReadable);

    public static PrivateKeyFacts InspectPrivateKey(TestToken token, string idHex)
    {
        lock (Sync)
        {
            foreach (var (name, value) in token.Environment)
            {
                NativeEnvironment.Set(name, value);
            }

            if (!_resolverSet)
            {
                // Pkcs11Interop asks for "libdl"; Debian 12 has only libdl.so.2.
                NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
                    name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", assembly, path, out var handle) ? handle : IntPtr.Zero);
                _resolverSet = true;
            }

            using var library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, token.Module, AppType.SingleThreaded);
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).First(s => Label(s) == TestToken.Label);
            using var session = slot.OpenSession(SessionType.ReadOnly);
            session.Login(CKU.CKU_USER, TestToken.Pin);
            try
            {
                var attributes = Factories.ObjectAttributeFactory;
                var key = session.FindAllObjects([attributes.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), attributes.Create(CKA.CKA_ID, Convert.FromHexString(idHex))]).Single();
                var values = session.GetAttributeValue(key, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE, CKA.CKA_VALUE, CKA.CKA_PRIVATE_EXPONENT, CKA.CKA_PRIME_1]);
                return new PrivateKeyFacts(
                    values[0].GetValueAsBool(),
                    values[1].GetValueAsBool(),
                    values.Skip(2).Any(v => !v.CannotBeRead && v.GetValueAsByteArray() is { Length: > 0 }));
            }
            finally
            {
                session.Logout();
            }
        }
    }

    private static string Label(ISlot slot)
    {
        try
        {
            return slot.GetTokenInfo().Label.Trim(' ', '\0');
        }
        catch (Pkcs11Exception)
        {
            return "";
        }
    }
}
