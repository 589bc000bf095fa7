using System.Diagnostics;
using System.Net;

namespace Signet.Bench.Load;

/// <summary>What one batch of requests did.</summary>
internal sealed record LoadResult(int Count, TimeSpan Elapsed, double[] LatenciesMs, int Failures, string? FirstFailure, byte[][]? Responses)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

/// <summary>Sends prepared requests over keep-alive HTTP/1.1 connections, <c>connections</c> at a time, each
/// connection sending its next request as soon as the previous response arrived (a closed loop).</summary>
internal static class LoadRunner
{
    public static HttpClient CreateClient(ServerProcess server, int connections) => new(server.NewHandler(connections))
    {
        BaseAddress = server.BaseAddress,
        Timeout = TimeSpan.FromMinutes(2),
    };

    public static Task<LoadResult> RunAsync(HttpClient client, Uri path, IReadOnlyList<PreparedRequest> requests, int connections,
        bool keepResponses = false) =>
        RunAsync(message => client.SendAsync(message, HttpCompletionOption.ResponseContentRead), path, requests, connections, keepResponses);

    /// <summary>Each request on a connection of its own, opened for it and closed after it, from a client that keeps
    /// nothing between requests (no TLS session to resume): what one <c>curl</c> process per request costs the server.</summary>
    public static Task<LoadResult> RunOnNewConnectionsAsync(ServerProcess server, Uri path, IReadOnlyList<PreparedRequest> requests, int connections) =>
        RunOnNewConnectionsAsync(() => server.NewHandler(connections: 1), server.BaseAddress, path, requests, connections);

    /// <summary>The same against any server: <paramref name="newHandler"/> makes the client of one request.</summary>
    public static Task<LoadResult> RunOnNewConnectionsAsync(Func<SocketsHttpHandler> newHandler, Uri baseAddress, Uri path,
        IReadOnlyList<PreparedRequest> requests, int connections) =>
        RunAsync(async message =>
        {
            using var invoker = new HttpMessageInvoker(newHandler());
            message.RequestUri = new Uri(baseAddress, message.RequestUri!);
            message.Headers.ConnectionClose = true;
            var response = await invoker.SendAsync(message, CancellationToken.None);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }, path, requests, connections, keepResponses: false);

    /// <summary>Each request on a new connection, but from one client, which may resume its TLS session.</summary>
    public static Task<LoadResult> RunOnNewConnectionsAsync(HttpClient client, Uri path, IReadOnlyList<PreparedRequest> requests, int connections) =>
        RunAsync(message =>
        {
            message.Headers.ConnectionClose = true;
            return client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        }, path, requests, connections, keepResponses: false);

    private static async Task<LoadResult> RunAsync(Func<HttpRequestMessage, Task<HttpResponseMessage>> send, Uri path,
        IReadOnlyList<PreparedRequest> requests, int connections, bool keepResponses)
    {
        var latencies = new double[requests.Count];
        var responses = keepResponses ? new byte[requests.Count][] : null;
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var prepared = requests[i];
                using var message = prepared.Body is { } content
                    ? new HttpRequestMessage(HttpMethod.Post, path) { Content = Fleet.JsonContent(content) }
                    : new HttpRequestMessage(HttpMethod.Get, path);
                foreach (var (name, value) in prepared.Headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await send(message);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (responses is not null)
                    {
                        responses[i] = body;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}", null);
                    }
                }
                catch (HttpRequestException e)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return new LoadResult(requests.Count, clock.Elapsed, latencies, failures, firstFailure, responses);
    }

    /// <summary>Several batches as one: total count over total time, all latencies together.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> parts) => new(
        parts.Sum(p => p.Count),
        TimeSpan.FromTicks(parts.Sum(p => p.Elapsed.Ticks)),
        parts.SelectMany(p => p.LatenciesMs).ToArray(),
        parts.Sum(p => p.Failures),
        parts.Select(p => p.FirstFailure).FirstOrDefault(f => f is not null),
        null);

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
