using System.Globalization;
using System.Text.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;
using Signet.Testing.Devices;

namespace Signet.Bench.Load;

/// <summary>One simulated computer: its UDID, key and CSR, and once enrolled its certificate.</summary>
internal sealed class SimulatedComputer(string udid, AsymmetricAlgorithm key, string csrPem)
{
    public string Udid { get; } = udid;
    public AsymmetricAlgorithm Key { get; } = key;
    public string CsrPem { get; } = csrPem;
    public X509Certificate2? Certificate { get; set; }

    public byte[] EnrollBody(string invitation) => JsonSerializer.SerializeToUtf8Bytes(
        new EnrollRequest(invitation, CsrPem, TestDevice.Describe(Udid, "bench-" + Udid[^8..], "SN" + Udid[^10..], "Bench1,1")),
        SignetJson.Options);
}

/// <summary>A request prepared before timing: body and headers, sent as they are (a POST; a GET when there is no body).</summary>
internal sealed record PreparedRequest(byte[]? Body, KeyValuePair<string, string>[] Headers);

/// <summary>Makes simulated computers, enrolls them and prepares their check-ins.</summary>
internal static class Fleet
{
    public static readonly Uri CheckInPath = new("/agent/v1/checkin", UriKind.Relative);
    public static readonly Uri EnrollPath = new("/agent/v1/enroll", UriKind.Relative);
    private static readonly Uri InventoryPath = new("/agent/v1/inventory", UriKind.Relative);
    private static readonly byte[] CheckInBody = JsonSerializer.SerializeToUtf8Bytes(new CheckInRequest("1.0.0-bench"), SignetJson.Options);

    /// <summary>P-256 keys and CSRs (cheap to make: the CA's signature is what enrollment measures).</summary>
    public static SimulatedComputer[] WithEcdsaKeys(int count, string prefix) => Make(count, prefix, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>RSA-2048 keys as the agent makes them. Generating thousands of RSA keys would dominate the run, so
    /// the computers share a small pool of keys; each still gets its own certificate and keyid, which is all the
    /// server's hot path looks at.</summary>
    public static SimulatedComputer[] WithRsaKeys(int count, string prefix)
    {
        var pool = new RSA[Math.Min(count, 16)];
        Parallel.For(0, pool.Length, i => pool[i] = RSA.Create(2048));
        return Make(count, prefix, i => pool[i % pool.Length]);
    }

    private static SimulatedComputer[] Make(int count, string prefix, Func<int, AsymmetricAlgorithm> key)
    {
        var computers = new SimulatedComputer[count];
        Parallel.For(0, count, i =>
        {
            var udid = $"{prefix}-{i:D10}";
            var k = key(i);
            computers[i] = new SimulatedComputer(udid, k, TestKeys.Csr(k, $"CN={udid}"));
        });
        return computers;
    }

    /// <summary>Enrolls every computer (concurrently) and keeps the certificates.</summary>
    public static async Task EnrollAsync(ServerProcess server, IReadOnlyList<SimulatedComputer> computers, string invitation, int connections)
    {
        var requests = computers.Select(c => new PreparedRequest(c.EnrollBody(invitation), [])).ToArray();
        using var client = LoadRunner.CreateClient(server, connections);
        var result = await LoadRunner.RunAsync(client, EnrollPath, requests, connections, keepResponses: true);
        if (result.Failures > 0)
        {
            throw new InvalidOperationException($"{result.Failures} enrollments failed, e.g. {result.FirstFailure}");
        }

        for (var i = 0; i < computers.Count; i++)
        {
            var response = JsonSerializer.Deserialize<EnrollResponse>(result.Responses![i], SignetJson.Options)!;
            computers[i].Certificate = X509Certificate2.CreateFromPem(response.Certificate);
        }
    }

    /// <summary>Sends each computer's inventory once, unsigned (certificate-based communication still off), as an agent
    /// does when its first check-in asks for it; from then on a check-in is answered without asking the database, as in
    /// a fleet's steady state.</summary>
    public static async Task SendInventoriesAsync(ServerProcess server, IReadOnlyList<SimulatedComputer> computers, int connections)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new InventoryDocument
        {
            CollectedAt = DateTimeOffset.UtcNow,
            OperatingSystem = new OperatingSystemInfo("macOS", "15.1", "24.1.0", "arm64"),
        }, SignetJson.Options);
        var requests = computers.Select(c => new PreparedRequest(body, [new(SignetHeaders.SignetDevice, c.Udid)])).ToArray();
        using var client = LoadRunner.CreateClient(server, connections);
        var result = await LoadRunner.RunAsync(client, InventoryPath, requests, connections);
        if (result.Failures > 0)
        {
            throw new InvalidOperationException($"{result.Failures} inventories failed, e.g. {result.FirstFailure}");
        }
    }

    /// <summary>Signed check-ins, round-robin over the computers, each with its own nonce, created now.</summary>
    public static PreparedRequest[] SignedCheckIns(Uri server, IReadOnlyList<SimulatedComputer> computers, int count)
    {
        var keys = computers.Select(c => RequestSigningKey.ForDevice(c.Certificate!, c.Key)).ToArray();
        var target = new Uri(server, CheckInPath);
        var requests = new PreparedRequest[count];
        Parallel.For(0, count, () => new SignedHeadersSink(), (i, _, capture) =>
        {
            var computer = computers[i % computers.Count];
            using var signer = new DeviceSigningHandler(computer.Udid, keys[i % keys.Length], TimeProvider.System) { InnerHandler = capture };
            using var invoker = new HttpMessageInvoker(signer, disposeHandler: false);
            using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = JsonContent(CheckInBody) };
            invoker.Send(message, CancellationToken.None).Dispose();
            requests[i] = new PreparedRequest(CheckInBody, capture.TakeHeaders());
            return capture;
        }, _ => { });
        return requests;
    }

    /// <summary>Check-ins that name the computer in <c>Signet-Device</c> and carry no signature.</summary>
    public static PreparedRequest[] UnsignedCheckIns(IReadOnlyList<SimulatedComputer> computers, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new PreparedRequest(CheckInBody, [new(SignetHeaders.SignetDevice, computers[i % computers.Count].Udid)]))
            .ToArray();

    public static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    public static string Prefix(string scenario) => scenario + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLower(CultureInfo.InvariantCulture);

    /// <summary>The end of a signing pipeline that sends nothing: it keeps the headers the signing handler added.</summary>
    private sealed class SignedHeadersSink : HttpMessageHandler
    {
        private KeyValuePair<string, string>[] _headers = [];

        public KeyValuePair<string, string>[] TakeHeaders() => _headers;

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _headers = request.Headers.NonValidated
                .Where(h => h.Key is SignetHeaders.ContentDigest or SignetHeaders.SignetDevice or SignetHeaders.SignatureInput or SignetHeaders.Signature)
                .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)))
                .ToArray();
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }
}
