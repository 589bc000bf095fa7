using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>HSTS on https, nosniff on every response, no request framed two ways, and a client's timeout logged as the
/// client's failure.</summary>
public sealed class HttpHardeningTests
{
    [Fact]
    public async Task HttpsResponsesCarryHstsAndPlainHttpOrLocalhostDoNot()
    {
        await using var factory = new SignetFactory();
        using var https = factory.CreateClient(new() { BaseAddress = new Uri("https://signet.example.com/") });
        using var http = factory.CreateClient(new() { BaseAddress = new Uri("http://signet.example.com/") });
        using var localhost = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost/") });

        var secure = await https.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single());
        // Problem responses too: the client must not be told to forget it by an error.
        var missing = await https.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        Assert.True(missing.Headers.Contains("Strict-Transport-Security"));

        Assert.False((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await localhost.GetAsync(new Uri("/healthz", UriKind.Relative))).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EveryApiResponseIsNosniffIncludingErrors()
    {
        await using var factory = new SignetFactory();
        using var anonymous = factory.CreateClient();
        using var admin = await factory.AdminClientAsync();
        using var failing = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddTransient<IStartupFilter, UnhandledErrorTests.FailingStep>()))
            .CreateClient();

        var responses = new[]
        {
            await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/agent/v1/ca", UriKind.Relative)),
            await admin.GetAsync(new Uri("/api/v1/computers", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/api/v1/computers", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/no-such-page", UriKind.Relative)),
            await anonymous.PostAsync(new Uri("/agent/v1/enroll", UriKind.Relative), new StringContent("{", Encoding.UTF8, "application/json")),
            await failing.GetAsync(new Uri("/boom", UriKind.Relative)),
        };

        Assert.Equal(HttpStatusCode.InternalServerError, responses[^1].StatusCode);
        Assert.All(responses, r => Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single()));
    }

    /// <summary>Kestrel itself reads such a request as chunked; the server must refuse it, and nothing smuggled behind
    /// it may run.</summary>
    [Fact]
    public async Task KestrelRefusesContentLengthWithTransferEncodingAndRunsNothingSmuggledBehindIt()
    {
        var parent = Directory.CreateTempSubdirectory("signet-http-").FullName;
        try
        {
            await using var server = await ServerProgram.StartAsync(Path.Combine(parent, "data"));
            var body = "{\"invitation\":\"x\"}"u8.ToArray();
            var request = Encoding.ASCII.GetBytes(
                "POST /agent/v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" +
                $"{body.Length:x}\r\n{Encoding.ASCII.GetString(body)}\r\n0\r\n\r\n" +
                "GET /no-such-smuggled-page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            var answer = await server.SendRawAsync(request);

            Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
            Assert.Contains("urn:signet:problem:validation-failed", answer, StringComparison.Ordinal);
            Assert.Contains("Content-Length and Transfer-Encoding", answer, StringComparison.Ordinal);
            Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(1, CountOccurrences(answer, "HTTP/1.1 "));
        }
        finally
        {
            TempFolder.TryDelete(parent);
        }
    }

    [Fact]
    public async Task ABodyThatArrivesTooSlowlyIs408AndLoggedAsInformationWithoutAStackTrace()
    {
        var parent = Directory.CreateTempSubdirectory("signet-http-").FullName;
        try
        {
            await using var server = await ServerProgram.StartAsync(Path.Combine(parent, "data"));
            var request = Encoding.ASCII.GetBytes(
                "POST /agent/v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");

            // Kestrel's minimum body rate (240 bytes/s after a 5-second grace) ends this after about 6 seconds.
            var answer = await server.SendRawAsync(request, pauses: 15);

            Assert.StartsWith("HTTP/1.1 408 ", answer, StringComparison.Ordinal);
            Assert.Contains("urn:signet:problem:", answer, StringComparison.Ordinal);
            await Task.Delay(500); // the console logger writes on its own thread
            var log = server.Log;
            Assert.Contains("info: Signet.Server.Problems.ClientRequestErrors", log, StringComparison.Ordinal);
            Assert.Contains("POST /agent/v1/enroll from 127.0.0.1 not completed by the client: 408", log, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.TryDelete(parent);
        }
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
