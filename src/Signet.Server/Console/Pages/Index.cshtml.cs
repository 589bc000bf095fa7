using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;
using Signet.Server.Settings;

namespace Signet.Server.WebConsole.Pages;

/// <summary>The overview: what needs an administrator, each count a link to the list behind it.</summary>
internal sealed class IndexModel(SecuritySettingsService settings, FleetOverviewQuery overview) : PageModel
{
    /// <summary>Computers named in the lockout banner; the rest are behind its link.</summary>
    public const int BannerLimit = 5;

    public SecuritySettings Settings { get; private set; } = SecuritySettings.Defaults;
    public FleetOverview Overview { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = settings.Current;
        Overview = await overview.GetAsync(cancellationToken);
    }
}
