using System.Reflection;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.Startup;

/// <summary>What <c>signet-server</c> does before any host is built: <c>--help</c>, <c>--version</c>, and the
/// commands that run instead of the server. None of them creates the data folder.</summary>
internal static class ServerCommandLine
{
    /// <summary>The installed version, as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(ServerCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Runs a command when <paramref name="args"/> name one; null when the server should start.</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            return null;
        }

        switch (args[0])
        {
            case "--help" or "-h" or "-?" or "help":
                output.Write(Help);
                return ServerExitCodes.Succeeded;
            case "--version":
                output.WriteLine($"signet-server {Version}");
                return ServerExitCodes.Succeeded;
            case MigrateDataCommand.Verb:
                return await MigrateDataCommand.RunAsync(args, output, error);
            case BackupCommand.Verb:
                return await BackupCommand.RunBackupAsync(args, output, error);
            case BackupCommand.RestoreVerb:
                return await BackupCommand.RunRestoreAsync(args, output, error);
            case CaInitCommand.Verb:
                return await CaInitCommand.RunAsync(args, output, error);
        }

        // The host reads "--key value", "--key=value", "/key=value" and "key=value" as settings; a bare word is a
        // mistyped command, and starting a server (and a data folder) for it would surprise.
        if (!args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal))
        {
            error.WriteLine($"Unknown command '{args[0]}': run `signet-server --help` for the commands and settings.");
            return ServerExitCodes.Usage;
        }

        if (args.FirstOrDefault(a => a is "--help" or "-h" or "--version") is { } late)
        {
            error.WriteLine($"{late} stands alone: run `signet-server {late}`.");
            return ServerExitCodes.Usage;
        }

        return null;
    }

    private const string Help =
        """
        usage: signet-server [--urls URLS] [--Signet:Key=value ...]
               signet-server backup --to FILE [--include-master-key] [--Signet:DataDirectory=FOLDER]
               signet-server restore --from FILE [--master-key KEYFILE] [--Signet:DataDirectory=FOLDER]
               signet-server migrate-data --to-postgres "CONNECTION STRING"
               signet-server ca init --key-store pkcs11 --module PATH --token LABEL [--key-label LABEL] [--import-database-key]
               signet-server --help | --version

        Runs the Signet management server: agent API, admin API, web console (/console) and the built-in CA.
        Listens on https://localhost:8443 unless --urls (or ASPNETCORE_URLS) says otherwise.

        Settings (command line --Signet:X=value, environment Signet__X=value, or appsettings.json):
          Signet:DataDirectory           data folder (default ./data): signet.db, master.key, initial-admin-password
          Signet:MasterKey               base64 of 32 bytes; default <data>/master.key. Losing it loses the CA.
          Signet:Admin:InitialPassword   password of 'admin' on first start (default: generated)
          Signet:Ca:KeyAlgorithm         RSA-2048 (default), RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384
          Signet:Ca:KeyStore             database (default) or pkcs11, with Signet:Ca:Pkcs11:Module, :Token, :KeyLabel
          Signet:Database:Provider       Sqlite (default) or PostgreSQL, with ConnectionStrings:Signet
          Signet:Metrics:AllowedNetworks who may read /metrics besides an administrator (CIDR list; default loopback)
          Logging:Console:FormatterName  simple (default), json or systemd

        Commands:
          backup --to FILE      consistent copy of a running server's SQLite database, integrity-checked;
                                the master key is NOT included unless --include-master-key (FILE.master.key)
          restore --from FILE   puts a backup into an empty data folder (the server must be stopped),
                                after checking that the master key decrypts the backup's CA key
          migrate-data          copies a SQLite installation into an empty PostgreSQL database
          ca init               makes (or moves) the CA key in a PKCS#11 token (PIN from Signet__Ca__Pkcs11__Pin
                                or Signet:Ca:Pkcs11:PinFile, never the command line)

        Exit codes: 0 success; 1 other failure; 2 usage; 3 a setting's value; 4 data folder or files;
        5 cannot listen on an address; 6 database unreachable or unusable; 7 database integrity check failed.

        Documentation: docs/operations.md in the repository.

        """;
}
