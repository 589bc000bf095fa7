using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.AdminApi;
using Signet.Server.Tests.Infrastructure;
using Signet.Testing.Hosting;

namespace Signet.Server.Tests.Console;

/// <summary>The kit's in-process host as the console page tests use it: their own admin password, a lockout after three
/// failed logins, fast password hashing.</summary>
internal sealed class ConsoleApp() : SignetHost(settings: new()
{
    ["Signet:Admin:MaxFailedLogins"] = "3",
    // An ECDSA CA starts faster than RSA-2048 on a busy machine; the console shows either the same way.
    ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
})
{
    public const string Password = "console-test-password";

    /// <summary>When true the admin password is generated on first start, as in production.</summary>
    public bool GeneratedPassword { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Signet:Admin:InitialPassword", GeneratedPassword ? "" : Password);
    }

    protected override void ConfigureServices(IServiceCollection services) => SignetFactory.FastLogins(services);

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client logged in to the console.</summary>
    public async Task<HttpClient> LoggedInAsync(string password = Password)
    {
        var client = Browser();
        var response = await client.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public string GeneratedPasswordFromFile() => File.ReadAllText(Path.Combine(DataDirectory, AdminAccountSetup.PasswordFileName)).Trim();
}

/// <summary>Form posts the way a browser sends them: fetch the page, take its antiforgery token, post.</summary>
internal static partial class ConsoleClientExtensions
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static async Task<string> GetHtmlAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>GETs <paramref name="path"/> (or <paramref name="formPage"/>) for a token, then posts the fields with it.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, Dictionary<string, string> fields,
        string? formPage = null) =>
        client.PostFormAsync(path, (IEnumerable<KeyValuePair<string, string>>)fields, formPage);

    /// <summary>The same with fields that may repeat, as a form of checkboxes sends them.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, IEnumerable<KeyValuePair<string, string>> fields,
        string? formPage = null)
    {
        var token = await client.AntiforgeryTokenAsync(formPage ?? path);
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>The antiforgery token in the form of the page at <paramref name="path"/>.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string path)
    {
        var token = TokenPattern().Match(await client.GetHtmlAsync(path));
        Assert.True(token.Success, "the form page carries an antiforgery token");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    public static async Task<string> FollowAsync(this HttpClient client, HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await client.GetHtmlAsync(redirect.Headers.Location!.OriginalString);
    }
}
