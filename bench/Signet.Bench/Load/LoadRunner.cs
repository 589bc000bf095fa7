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
    public static HttpClient CreateClient(Uri server, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromMinutes(2),
    };

    public static async Task<LoadResult> RunAsync(HttpClient client, Uri path, IReadOnlyList<PreparedRequest> requests, int connections,
        bool keepResponses = false)
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
                using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = Fleet.JsonContent(prepared.Body) };
                foreach (var (name, value) in prepared.Headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
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
