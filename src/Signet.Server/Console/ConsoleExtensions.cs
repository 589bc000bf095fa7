using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Signet.Server.WebConsole;

/// <summary>The web console: Razor Pages under <c>/console</c>, signed in with a cookie.</summary>
/// <remarks>The namespace is <c>WebConsole</c>, not <c>Console</c>, so it does not hide <see cref="System.Console"/>.</remarks>
internal static class ConsoleExtensions
{
    /// <summary>The cookie scheme of console sessions; the admin API's policy accepts it too.</summary>
    public const string SchemeName = "ConsoleCookie";

    /// <summary>Pages accept only the console cookie, so an unauthenticated visit redirects to the login page.</summary>
    public const string Policy = "Console";

    public const string PathPrefix = "/console";
    public const string LoginPath = PathPrefix + "/login";

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Console/Pages";
            options.Conventions.AddFolderRouteModelConvention("/", model =>
            {
                // Every page lives under /console, including pages whose @page names an absolute route.
                foreach (var route in model.Selectors.Select(s => s.AttributeRouteModel).OfType<AttributeRouteModel>())
                {
                    route.Template = (PathPrefix[1..] + "/" + (route.Template ?? "").TrimStart('~', '/')).TrimEnd('/');
                }
            });
            options.Conventions.ConfigureFilter(new ConsoleSecurityHeaders());
            options.Conventions.AuthorizeFolder("/", Policy);
            options.Conventions.AllowAnonymousToPage("/Login");
        });
        builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = true);
        builder.Services.AddAuthentication()
            .AddCookie(SchemeName, options =>
            {
                options.LoginPath = LoginPath;
                options.LogoutPath = PathPrefix + "/logout";
                options.AccessDeniedPath = LoginPath;
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = "signet_console";
                options.Cookie.HttpOnly = true;
                // Strict keeps the cookie off cross-site requests, which also protects the admin API it unlocks.
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ConsoleSession.ValidateAsync;
                options.Events.OnRedirectToLogin = RedirectOnlyConsolePages;
                options.Events.OnRedirectToAccessDenied = RedirectOnlyConsolePages;
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "signet_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        ConsoleAsset.Stylesheet.Map(app);
        ConsoleAsset.Script.Map(app);
        app.MapGet("/", () => TypedResults.Redirect(PathPrefix)).ExcludeFromDescription();
        app.MapGet("/login", () => TypedResults.Redirect(LoginPath)).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    /// <summary>The API shares the admin policy with the console: there the bearer scheme answers with a 401 problem,
    /// and a redirect to an HTML login form would only confuse a script.</summary>
    private static Task RedirectOnlyConsolePages(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
