using Microsoft.Extensions.Options;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.CertificateAuthority;

/// <summary><c>signet-server ca init</c>: creates the CA (or, with <c>--import-database-key</c>, moves an existing
/// database-held CA key into a PKCS#11 token) before any web host starts, and prints its fingerprint. Reads the same
/// configuration as the server; the PIN only from <c>Signet__Ca__Pkcs11__Pin</c> or <c>Signet:Ca:Pkcs11:PinFile</c>.</summary>
internal static class CaInitCommand
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    private const string Usage =
        "usage: signet-server ca init [--key-store database|pkcs11] [--module <path>] [--token <label>] [--key-label <label>]\n" +
        "                             [--key-algorithm <algorithm>] [--import-database-key] [--Signet:DataDirectory=<folder>]\n" +
        "The PIN comes from Signet__Ca__Pkcs11__Pin or the file named by Signet:Ca:Pkcs11:PinFile, never from the command line.";

    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["--key-store"] = "Signet:Ca:KeyStore",
        ["--module"] = "Signet:Ca:Pkcs11:Module",
        ["--token"] = "Signet:Ca:Pkcs11:Token",
        ["--key-label"] = "Signet:Ca:Pkcs11:KeyLabel",
        ["--key-algorithm"] = "Signet:Ca:KeyAlgorithm",
    };

    /// <summary>The command word, as <c>signet-server ca init …</c>.</summary>
    public const string Verb = "ca";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["ca", "init", ..] || args.Contains("--help"))
        {
            var help = args.Contains("--help");
            (help ? output : error).WriteLine(Usage);
            return help ? Succeeded : UsageError;
        }

        var import = false;
        var settings = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--import-database-key")
            {
                import = true;
            }
            else if (args[i] == "--pin" || args[i].StartsWith("--pin=", StringComparison.Ordinal) ||
                args[i].StartsWith("--Signet:Ca:Pkcs11:Pin=", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine("The PIN is not taken on the command line (others can read it there): set Signet__Ca__Pkcs11__Pin or Signet:Ca:Pkcs11:PinFile.");
                return UsageError;
            }
            else if (Options.TryGetValue(args[i], out var key) && i + 1 < args.Length)
            {
                settings.Add($"--{key}={args[++i]}");
            }
            else if (args[i].StartsWith("--Signet:", StringComparison.Ordinal) || args[i].StartsWith("--ConnectionStrings:", StringComparison.Ordinal))
            {
                settings.Add(args[i]);
            }
            else
            {
                error.WriteLine($"Unknown argument '{args[i]}'.");
                error.WriteLine(Usage);
                return UsageError;
            }
        }

        if (import)
        {
            settings.Add($"--{CaOptions.Section}:KeyStore={CaKeyStores.Pkcs11}");
        }

        try
        {
            var builder = WebApplication.CreateBuilder([.. settings]);
            builder.Logging.ClearProviders();
            builder.AddSignetHosting();
            builder.AddSignetData();
            builder.AddCertificateAuthority();
            await using var app = builder.Build();
            var services = app.Services;
            _ = services.GetRequiredService<IOptions<CaOptions>>().Value;
            _ = services.GetRequiredService<DataDirectory>();
            _ = services.GetRequiredService<MasterKey>();
            await services.MigrateSignetDatabaseAsync(CancellationToken.None);
            var store = services.GetRequiredService<CertificateAuthorityStore>();
            if (import && await store.MoveKeyToTokenAsync(CancellationToken.None))
            {
                output.WriteLine("Moved the CA key from the database into the token; the database no longer holds it.");
                output.WriteLine("Backups taken before now, with the master key, still hold it: destroy them, or treat the key as exposed.");
            }

            await store.InitializeAsync(CancellationToken.None);
            output.WriteLine($"CA subject:        {store.Signer.Certificate.Subject}");
            output.WriteLine($"CA fingerprint (SHA-256): {CaFingerprint.Sha256Hex(store.Signer.Certificate)}");
            output.WriteLine($"CA key:            {store.Signer.KeyLocation}");
            return Succeeded;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine(e.Message);
            return UsageError;
        }
        catch (Exception e) when (e is StartRefusedException or InvalidOperationException or System.Security.Cryptography.CryptographicException
            or Net.Pkcs11Interop.Common.Pkcs11Exception or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            error.WriteLine(e.Message);
            return Failed;
        }
    }
}
