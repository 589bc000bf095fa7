using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Keychain.Tokens;
using Signet.Protocol.Signatures;

namespace Signet.Bench;

/// <summary>Time of one RFC 9421 request signature through the agent's own keys: in memory (the file backend), on a
/// SoftHSM2 token and on the software TPM through tpm2-pkcs11 (when TPM2_PKCS11_TCTI names a running one, as
/// .ci/run sets it up). Tokens are made in a temporary folder; the modules read their configuration from the native
/// environment, set here before they load.</summary>
internal static partial class SignLatency
{
    private const string SoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";
    private const string TpmModule = "/usr/lib/x86_64-linux-gnu/libtpm2_pkcs11.so.1";
    private const string Pin = "123456";

    public static void Run()
    {
        var folder = Directory.CreateTempSubdirectory("signet-sign-latency-").FullName;
        try
        {
            var rows = new List<string>();
            Measure(rows, "file", null, 500);
            if (File.Exists(SoftHsmModule))
            {
                var tokens = Directory.CreateDirectory(Path.Combine(folder, "softhsm")).FullName;
                var configuration = Path.Combine(folder, "softhsm2.conf");
                File.WriteAllText(configuration, $"directories.tokendir = {tokens}\nlog.level = ERROR\n");
                SetBoth("SOFTHSM2_CONF", configuration);
                Tool("softhsm2-util", "--init-token", "--free", "--label", "bench", "--so-pin", "12345678", "--pin", Pin);
                Measure(rows, "SoftHSM2", new TokenSettings(SoftHsmModule, "bench", null), 500);
            }

            if (File.Exists(TpmModule) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TPM2_PKCS11_TCTI")))
            {
                var store = Directory.CreateDirectory(Path.Combine(folder, "tpm")).FullName;
                SetBoth("TPM2_PKCS11_STORE", store);
                Tool("tpm2_ptool", "init", "--path", store);
                Tool("tpm2_ptool", "addtoken", "--pid=1", "--label=bench", "--userpin=" + Pin, "--sopin=12345678", "--path", store);
                Measure(rows, "software TPM", new TokenSettings(TpmModule, "bench", null), 100);
            }

            Console.WriteLine("| backend | key | median ms | p95 ms | signatures |");
            Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
            rows.ForEach(Console.WriteLine);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(List<string> rows, string backend, TokenSettings? token, int count)
    {
        string? Environment(string name) => name == TokenPin.EnvironmentVariable ? Pin : System.Environment.GetEnvironmentVariable(name);
        var signatureBase = new byte[300];
        Random.Shared.NextBytes(signatureBase);
        foreach (var type in new[] { DeviceKeyType.Rsa, DeviceKeyType.EcP256 })
        {
            using var key = token is null ? PendingDeviceKey.Generate(type) : PendingDeviceKey.Generate(type, token, Environment);
            var signer = RequestSigningKey.Create("bench", type == DeviceKeyType.Rsa ? SignatureAlgorithm.RsaPssSha512 : SignatureAlgorithm.EcdsaP256Sha256, key.Key);
            signer.Sign(signatureBase);
            var times = new double[count];
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                signer.Sign(signatureBase);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(times);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {backend} | {type.Describe()} | {times[count / 2]:0.000} | {times[count * 95 / 100]:0.000} | {count} |"));
        }
    }

    // The module in this process reads the native environment; the token tools started from here get .NET's copy.
    private static void SetBoth(string name, string value)
    {
        _ = SetEnvironment(name, value, 1);
        System.Environment.SetEnvironmentVariable(name, value);
    }

    private static void Tool(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
