using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Enrollment;
using Signet.Server.Settings;

namespace Signet.Server.WebConsole.Pages;

internal sealed class IndexModel(SecuritySettingsService settings, SignatureReadiness readiness, EnrollmentRequestQueries requests) : PageModel
{
    public SecuritySettings Settings { get; private set; } = SecuritySettings.Defaults;
    public ReadinessReport Readiness { get; private set; } = new(0, 0, 0, [], []);
    public int PendingRequests { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = settings.Current;
        Readiness = await readiness.GetAsync(0, cancellationToken);
        PendingRequests = await requests.CountPendingAsync(cancellationToken);
    }
}
