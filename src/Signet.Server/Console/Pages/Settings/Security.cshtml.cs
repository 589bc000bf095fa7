using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Settings;

namespace Signet.Server.WebConsole.Pages.Settings;

/// <summary>Settings › Computer Management › Security: the values read-only, an Edit form, and the readiness view.
/// Switching certificate-based communication on while computers would be refused takes a second, confirmed post.</summary>
internal sealed class SecurityModel(SecuritySettingsService settings, SignatureReadiness readiness) : PageModel
{
    public const int ReadinessListLimit = 50;
    public const string EditMode = "edit";

    /// <summary>The <c>reenrollment</c> choices as the form offers them, the recommended one first.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> ReenrollmentChoices =
    [
        (SecuritySettings.ReenrollByApproval, "Require approval when a known computer enrolls again (recommended)"),
        (SecuritySettings.ReenrollByInvitation, "Let any valid invitation re-enroll a known computer (labs that re-image)"),
    ];

    [BindProperty]
    public bool CertificateBasedCommunication { get; set; }

    [BindProperty]
    public int? MaximumClockSkewSeconds { get; set; }

    [BindProperty]
    public int? DeviceCertificateLifetimeDays { get; set; }

    /// <summary><c>approval</c> or <c>invitation</c> (docs/lifecycle.md); left as it is when the form does not send it.</summary>
    [BindProperty]
    public string? Reenrollment { get; set; }

    /// <summary>New enrollments must declare a key held in a token (docs/hardware-keys.md).</summary>
    [BindProperty]
    public bool RequireHardwareKeys { get; set; }

    /// <summary>Ticked in the second step: the administrator accepts that the listed computers will be refused.</summary>
    [BindProperty]
    public bool ConfirmLockout { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public bool Editing { get; private set; }
    public bool NeedsConfirmation { get; private set; }
    public string? Error { get; private set; }
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);
    public SecuritySettings Current { get; private set; } = SecuritySettings.Defaults;
    public ReadinessReport Readiness { get; private set; } = new(0, 0, 0, [], []);

    public async Task<IActionResult> OnGetAsync(string? mode, CancellationToken cancellationToken)
    {
        if (mode is not null && mode != EditMode)
        {
            return NotFound();
        }

        Editing = mode == EditMode;
        Current = settings.Current;
        CertificateBasedCommunication = Current.CertificateBasedCommunication;
        MaximumClockSkewSeconds = Current.MaximumClockSkewSeconds;
        DeviceCertificateLifetimeDays = Current.DeviceCertificateLifetimeDays;
        Reenrollment = Current.Reenrollment;
        RequireHardwareKeys = Current.RequireHardwareKeys;
        Readiness = await readiness.GetAsync(ReadinessListLimit, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Editing = true;
        Current = settings.Current;
        Readiness = await readiness.GetAsync(ReadinessListLimit, cancellationToken);
        if (MaximumClockSkewSeconds is null)
        {
            FieldErrors[nameof(MaximumClockSkewSeconds)] = "Enter a whole number of seconds.";
        }

        if (DeviceCertificateLifetimeDays is null)
        {
            FieldErrors[nameof(DeviceCertificateLifetimeDays)] = "Enter a whole number of days.";
        }

        // A form without the choice (an older page) leaves it as it is.
        Reenrollment ??= Current.Reenrollment;
        if (FieldErrors.Count > 0)
        {
            return Page();
        }

        if (CertificateBasedCommunication && !Current.CertificateBasedCommunication && Readiness.NotReady > 0 && !ConfirmLockout)
        {
            NeedsConfirmation = true;
            return Page();
        }

        var result = await settings.UpdateAsync(
            new SecuritySettingsUpdate(CertificateBasedCommunication, MaximumClockSkewSeconds, DeviceCertificateLifetimeDays, Reenrollment, RequireHardwareKeys),
            User.Identity?.Name ?? "unknown", cancellationToken);
        switch (result.Status)
        {
            case SettingsUpdateStatus.Applied:
                Confirmation = "The Security settings were saved and apply from the next agent request.";
                return Redirect("/console/settings/security");
            case SettingsUpdateStatus.Invalid:
                foreach (var (field, messages) in result.Errors)
                {
                    FieldErrors[char.ToUpperInvariant(field[0]) + field[1..]] = string.Join(' ', messages);
                }

                return Page();
            default:
                Error = "The settings were changed at the same time by someone else; check the values and save again.";
                return Page();
        }
    }
}
