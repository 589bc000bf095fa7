using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Signet.Server.WebConsole.Pages.Settings;

internal sealed class ComputerManagementModel : PageModel;
