using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>One logged-in read-write session with a PKCS#11 token, shared by every key of that token in this process
/// (a token has one login state per application). Modules stay loaded until the process exits.</summary>
internal sealed class TokenConnection
{
    private static readonly Lock Registry = new();
    private static readonly Dictionary<(string Module, string Token), TokenConnection> Open = [];
    private static readonly Dictionary<string, IPkcs11Library> Libraries = [];
    private static bool _resolverSet;

    private TokenConnection(TokenSettings settings, ISlot slot, ISession session, ITokenInfo info)
    {
        Settings = settings;
        Slot = slot;
        Session = session;
        Model = Clean(info.Model);
        Manufacturer = Clean(info.ManufacturerId);
    }

    public static Pkcs11InteropFactories Factories { get; } = new();

    public TokenSettings Settings { get; }
    public ISlot Slot { get; }

    /// <summary>The session; use it only while holding <see cref="Sync"/> (sessions are not for concurrent use).</summary>
    public ISession Session { get; }

    public Lock Sync { get; } = new();

    /// <summary>The token's model as it reports it (e.g. "SoftHSM v2"), declared to the server.</summary>
    public string Model { get; }

    public string Manufacturer { get; }

    /// <summary>"'label' (model, manufacturer)" for messages.</summary>
    public string Description => $"PKCS#11 token '{Settings.Token}' ({Model}, {Manufacturer})";

    /// <summary>The connection to the token, opening and logging in on first use. Throws <see cref="KeychainException"/>
    /// with what to do when the module does not load, the token is absent or the PIN is refused.</summary>
    public static TokenConnection Connect(TokenSettings settings, Func<string, string?> environment)
    {
        lock (Registry)
        {
            if (Open.TryGetValue((settings.Module, settings.Token), out var existing))
            {
                return existing;
            }

            var library = Load(settings.Module);
            var slot = FindSlot(library, settings);
            var pin = TokenPin.Read(settings, environment);
            ISession? session = null;
            try
            {
                session = slot.OpenSession(SessionType.ReadWrite);
                try
                {
                    session.Login(CKU.CKU_USER, pin);
                }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
                {
                    // Logged in by an earlier session of this process: the login is per application, not per session.
                }

                var connection = new TokenConnection(settings, slot, session, slot.GetTokenInfo());
                Open[(settings.Module, settings.Token)] = connection;
                return connection;
            }
            catch (Pkcs11Exception e)
            {
                session?.Dispose();
                throw TokenErrors.Translate(e, $"PKCS#11 token '{settings.Token}'", "opening a session");
            }
        }
    }

    private static IPkcs11Library Load(string module)
    {
        if (Libraries.TryGetValue(module, out var loaded))
        {
            return loaded;
        }

        if (!File.Exists(module))
        {
            throw new KeychainException(
                $"The PKCS#11 module {module} does not exist; install the token's driver (e.g. softhsm2, libtpm2-pkcs11-1) or fix --pkcs11-module.");
        }

        SetLibdlResolver();
        try
        {
            var library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, module, AppType.MultiThreaded);
            Libraries[module] = library;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => library.Dispose();
            return library;
        }
        catch (Exception e) when (e is UnmanagedException or Pkcs11Exception or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new KeychainException($"{module} cannot be loaded as a PKCS#11 module ({e.Message}); check --pkcs11-module names the token's PKCS#11 library.", e);
        }
    }

    private static ISlot FindSlot(IPkcs11Library library, TokenSettings settings)
    {
        List<ISlot> slots;
        try
        {
            slots = library.GetSlotList(SlotsType.WithTokenPresent);
        }
        catch (Pkcs11Exception e)
        {
            throw TokenErrors.Translate(e, $"PKCS#11 module {settings.Module}", "listing its tokens");
        }

        var labels = new List<string>();
        foreach (var slot in slots)
        {
            string label;
            try
            {
                label = Clean(slot.GetTokenInfo().Label);
            }
            catch (Pkcs11Exception)
            {
                // Some modules list a slot whose token cannot be described (tpm2-pkcs11's empty slot): not ours.
                continue;
            }

            if (label == settings.Token)
            {
                return slot;
            }

            if (label.Length > 0)
            {
                labels.Add($"'{label}'");
            }
        }

        throw new KeychainException(
            $"No PKCS#11 token labelled '{settings.Token}' in {settings.Module} (found {(labels.Count == 0 ? "none" : string.Join(", ", labels))}); " +
            "check --pkcs11-token, or that the token is inserted (for a TPM, that its daemon runs).");
    }

    // Pkcs11Interop opens modules through "libdl", which Debian 12 and later ship only as libdl.so.2.
    private static void SetLibdlResolver()
    {
        if (_resolverSet || !OperatingSystem.IsLinux())
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, ResolveLibdl);
        _resolverSet = true;
    }

    private static IntPtr ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", assembly, searchPath, out var handle) ? handle : IntPtr.Zero;

    // Token strings are fixed-width fields padded with spaces (or, by some modules, NULs).
    private static string Clean(string? value) => (value ?? "").Trim(' ', '\0');
}
