using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.Tests.Console;

public sealed class PkiPageTests
{
    [Fact]
    public async Task ShowsTheCaDetailsIssuedCertificatesAndTheCrlLink()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-PKI-1", "pki-mac");
        using var ca = X509Certificate2.CreateFromPem(await http.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative)));
        var client = await app.LoggedInAsync();

        var html = await client.GetHtmlAsync("/console/pki");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ca.Subject), html, StringComparison.Ordinal);
        Assert.Contains(ca.SerialNumber, html, StringComparison.Ordinal);
        var fingerprint = string.Join(':', SHA256.HashData(ca.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"id=\"ca-fingerprint\">{fingerprint.Replace(":", ":<wbr>", StringComparison.Ordinal)}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Key algorithm</dt><dd>ECDSA P-256</dd>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/pki/crl\"", html, StringComparison.Ordinal);
        Assert.Contains(device.Certificate.SerialNumber, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(">pki-mac</a>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"status good\">current</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadsTheCaCertificateAsPem()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var response = await client.GetAsync(new Uri("/console/pki?handler=CaCertificate", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-pem-file", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("signet-ca.pem", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var pem = await response.Content.ReadAsStringAsync();
        Assert.Equal(await app.CreateClient().GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative)), pem);
    }
}
