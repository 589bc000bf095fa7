extern alias SignetServer;

using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Testing.Tokens;
using SignetServer::Signet.Server.CertificateAuthority;
using SignetServer::Signet.Server.CertificateAuthority.Pkcs11;

namespace Signet.Bench;

/// <summary><c>ca-sign</c>: the time to issue one device certificate through the server's own issuer, with the CA key in
/// memory (Signet:Ca:KeyStore=database) and in a SoftHSM2 token (pkcs11), for RSA-2048, RSA-4096 and P-256 CA keys.
/// Rounds alternate the two stores so drift on a busy machine hits both alike; medians and p95 per case.</summary>
internal static class CaSignBenchmark
{
    private const string Pin = "246810";

    public static void Run(string[] args)
    {
        var issues = args is ["--issues", var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 200;
        using var store = new SoftHsmStore();
        store.UseInThisProcess();
        var labels = new[] { "RSA-2048", "RSA-4096", "ECDSA-P256" };
        foreach (var label in labels)
        {
            store.InitTokenAsync(label, Pin).GetAwaiter().GetResult();
        }

        Console.WriteLine($"CA signing: one device certificate issued per sample, {issues} samples per case, alternating rounds of 10");
        Console.WriteLine($"{"CA key",-12} {"store",-9} {"median ms",10} {"p95 ms",9} {"pkcs11/database",16}");
        foreach (var algorithm in labels)
        {
            var token = Pkcs11Token.Open(new Pkcs11CaOptions { Module = store.Module, Token = algorithm, Pin = Pin });
            var pair = token.Generate("bench", algorithm);
            using var tokenKey = new Pkcs11CaKey(token, pair, "bench");
            using var softwareKey = CreateKey(algorithm);
            var (softwareGenerator, hash) = SoftwareCaSigner.Profile(softwareKey);
            var database = new BenchSigner(SelfSigned(softwareGenerator, hash), softwareGenerator, hash);
            var pkcs11 = new BenchSigner(SelfSigned(tokenKey.SignatureGenerator, hash), tokenKey.SignatureGenerator, hash);
            var (databaseTimes, pkcs11Times) = Measure(new DeviceCertificateIssuer(database), new DeviceCertificateIssuer(pkcs11), issues);
            var ratio = Median(pkcs11Times) / Median(databaseTimes);
            Console.WriteLine($"{algorithm,-12} {"database",-9} {Median(databaseTimes),10:F3} {P95(databaseTimes),9:F3}");
            Console.WriteLine($"{algorithm,-12} {"pkcs11",-9} {Median(pkcs11Times),10:F3} {P95(pkcs11Times),9:F3} {ratio,16:F2}");
        }
    }

    private static (List<double> Database, List<double> Pkcs11) Measure(DeviceCertificateIssuer database, DeviceCertificateIssuer pkcs11, int issues)
    {
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = new PublicKey(device);
        var now = DateTimeOffset.UtcNow;
        // Warm-up: JIT and the token's first use.
        for (var i = 0; i < 20; i++)
        {
            _ = database.Issue(publicKey, "UDID", "id", now, TimeSpan.FromDays(30));
            _ = pkcs11.Issue(publicKey, "UDID", "id", now, TimeSpan.FromDays(30));
        }

        var times = (Database: new List<double>(), Pkcs11: new List<double>());
        for (var round = 0; times.Database.Count < issues; round++)
        {
            foreach (var (issuer, sink) in round % 2 == 0 ? [(database, times.Database), (pkcs11, times.Pkcs11)] : new[] { (pkcs11, times.Pkcs11), (database, times.Database) })
            {
                for (var i = 0; i < 10; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    _ = issuer.Issue(publicKey, "UDID", "id", now, TimeSpan.FromDays(30));
                    sink.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        return times;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);
    private static double P95(List<double> values) => Percentile(values, 0.95);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private static AsymmetricAlgorithm CreateKey(string algorithm) => algorithm switch
    {
        "RSA-2048" => RSA.Create(2048),
        "RSA-4096" => RSA.Create(4096),
        _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
    };

    private static X509Certificate2 SelfSigned(X509SignatureGenerator generator, HashAlgorithmName hash)
    {
        var subject = new X500DistinguishedName("CN=Signet bench CA");
        var request = new CertificateRequest(subject, generator.PublicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.Create(subject, generator, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);
    }

    private sealed class BenchSigner(X509Certificate2 certificate, X509SignatureGenerator generator, HashAlgorithmName hash) : ICaSigner
    {
        public X509Certificate2 Certificate => certificate;
        public HashAlgorithmName HashAlgorithm => hash;
        public X509SignatureGenerator SignatureGenerator => generator;
        public string KeyLocation => "bench";
    }
}
