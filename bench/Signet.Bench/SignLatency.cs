using System.Diagnostics;
using System.Globalization;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Keychain.Tokens;
using Signet.Protocol.Signatures;
using Signet.Testing.Tokens;

namespace Signet.Bench;

/// <summary>Time of one RFC 9421 request signature through the agent's own keys: in memory (the file backend), on a
/// SoftHSM2 token and on the software TPM through tpm2-pkcs11 (when TPM2_PKCS11_TCTI names a running one, as
/// .ci/run sets it up). Tokens are made in the kit's token stores; the modules read their configuration from the native
/// environment, set here before they load.</summary>
internal static class SignLatency
{
    private const string Pin = "123456";

    public static void Run()
    {
        var rows = new List<string>();
        Measure(rows, "file", null, 500);
        if (File.Exists(SoftHsmStore.ModulePath))
        {
            using var softHsm = new SoftHsmStore();
            softHsm.UseInThisProcess();
            softHsm.InitTokenAsync("bench", Pin).GetAwaiter().GetResult();
            Measure(rows, "SoftHSM2", new TokenSettings(softHsm.Module, "bench", null), 500);
        }

        if (TpmStore.IsReady)
        {
            using var tpm = new TpmStore();
            tpm.UseInThisProcess();
            tpm.InitTokenAsync("bench", Pin).GetAwaiter().GetResult();
            Measure(rows, "software TPM", new TokenSettings(tpm.Module, "bench", null), 100);
        }

        Console.WriteLine("| backend | key | median ms | p95 ms | signatures |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
        rows.ForEach(Console.WriteLine);
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
}
