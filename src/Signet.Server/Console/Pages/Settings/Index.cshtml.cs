using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Signet.Server.WebConsole.Pages.Settings;

/// <summary>The settings categories.</summary>
internal sealed class IndexModel : PageModel;
