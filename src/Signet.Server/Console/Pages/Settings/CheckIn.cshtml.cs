using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Settings;

namespace Signet.Server.WebConsole.Pages.Settings;

/// <summary>Settings › Computer Management › Check-In: the interval read-only, then Edit and Save, as on the Security page.
/// The next check-in (and enrollment) answers the saved interval.</summary>
internal sealed class CheckInModel(CheckInSettingsService settings) : PageModel
{
    [BindProperty]
    public int? CheckInIntervalSeconds { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public bool Editing { get; private set; }
    public string? Error { get; private set; }
    public string? FieldError { get; private set; }
    public CheckInSettings Current { get; private set; } = new(0);

    public async Task<IActionResult> OnGetAsync(string? mode, CancellationToken cancellationToken)
    {
        if (mode is not null && mode != SecurityModel.EditMode)
        {
            return NotFound();
        }

        Editing = mode == SecurityModel.EditMode;
        Current = await settings.GetAsync(cancellationToken);
        CheckInIntervalSeconds = Current.CheckInIntervalSeconds;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Editing = true;
        Current = await settings.GetAsync(cancellationToken);
        if (CheckInIntervalSeconds is not { } seconds)
        {
            FieldError = "Enter a whole number of seconds.";
            return Page();
        }

        var result = await settings.UpdateAsync(new CheckInSettings(seconds), User.Identity?.Name ?? "unknown", cancellationToken);
        switch (result.Status)
        {
            case SettingsUpdateStatus.Applied:
                Confirmation = $"The Check-In settings were saved: computers are told to check in every {ConsoleFormat.Interval(seconds)} from their next check-in.";
                return Redirect("/console/settings/check-in");
            case SettingsUpdateStatus.Invalid:
                FieldError = string.Join(' ', result.Errors.Values.SelectMany(m => m));
                return Page();
            default:
                Error = "The settings were changed at the same time by someone else; check the value and save again.";
                return Page();
        }
    }
}
