using System.CommandLine;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Tokens;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary><c>enroll</c>'s choice of where the device key is made: <c>--keychain-backend file</c> (default) or
/// <c>pkcs11</c> with the token's module and label. The PIN is never an option (others see command lines): it comes
/// from <c>SIGNET_PKCS11_PIN</c> or a root-only <c>--pkcs11-pin-file</c>.</summary>
internal sealed class KeychainBackendOptions
{
    public Option<string> Backend { get; } = CreateBackend();

    public Option<string?> Module { get; } = new("--pkcs11-module")
    {
        Description = "PKCS#11 module of the token (e.g. /usr/lib/x86_64-linux-gnu/libtpm2_pkcs11.so.1)",
        HelpName = "PATH",
    };

    public Option<string?> Token { get; } = new("--pkcs11-token") { Description = "Label of the token that makes and keeps the key", HelpName = "LABEL" };

    public Option<string?> PinFile { get; } = new("--pkcs11-pin-file")
    {
        Description = $"File (mode 0600) holding the token's user PIN; else {TokenPin.EnvironmentVariable}",
        HelpName = "PATH",
    };

    /// <summary>The token to make keys on, or null for the file backend; exit 2 when the options do not fit together.</summary>
    public TokenSettings? Read(ParseResult parse, Func<string, string?> environment)
    {
        var module = parse.GetValue(Module);
        var token = parse.GetValue(Token);
        var pinFile = parse.GetValue(PinFile);
        if (parse.GetValue(Backend) != TokenKeyReference.Pkcs11)
        {
            return module is null && token is null && pinFile is null
                ? null
                : throw Usage("--pkcs11-module, --pkcs11-token and --pkcs11-pin-file go with --keychain-backend pkcs11.");
        }

        if (string.IsNullOrWhiteSpace(module) || string.IsNullOrWhiteSpace(token))
        {
            throw Usage("--keychain-backend pkcs11 needs --pkcs11-module PATH (the token's PKCS#11 library) and --pkcs11-token LABEL.");
        }

        module = Path.GetFullPath(module);
        if (!File.Exists(module))
        {
            throw Usage($"The PKCS#11 module {module} does not exist; install the token's driver (e.g. softhsm2, libtpm2-pkcs11-1) or fix --pkcs11-module.");
        }

        if (pinFile is not null)
        {
            pinFile = Path.GetFullPath(pinFile);
            try
            {
                TokenPin.CheckPrivate(pinFile);
            }
            catch (KeychainException e)
            {
                throw Usage(e.Message);
            }
        }
        else if (string.IsNullOrEmpty(environment(TokenPin.EnvironmentVariable)))
        {
            throw Usage($"The token's user PIN is needed: set {TokenPin.EnvironmentVariable} or pass --pkcs11-pin-file PATH (a file only root can read).");
        }

        return new TokenSettings(module, token.Trim(), pinFile);
    }

    private static Option<string> CreateBackend()
    {
        var backend = new Option<string>("--keychain-backend")
        {
            Description = "Where the device key is made and kept: file (the keychain folder) or pkcs11 (a TPM or token; not exportable)",
            DefaultValueFactory = _ => KeyPlacement.FileKind,
        };
        backend.AcceptOnlyFromAmong(KeyPlacement.FileKind, TokenKeyReference.Pkcs11);
        return backend;
    }

    private static AgentFailure Usage(string message) => new(ExitCodes.Usage, message);
}
