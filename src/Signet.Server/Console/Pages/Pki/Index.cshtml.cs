using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.WebConsole.Pages.Pki;

/// <summary>The CA certificate (details and PEM download), the issued device certificates and the CRL link.</summary>
internal sealed class IndexModel(ICaSigner ca, IssuedCertificateQueries certificates) : PageModel
{
    public X509Certificate2 Ca => ca.Certificate;
    public IReadOnlyList<IssuedCertificateRow> Items { get; private set; } = [];
    public PagerView Pages { get; private set; } = null!;

    public async Task OnGetAsync(int? pageNumber, CancellationToken cancellationToken)
    {
        var pager = new Pager(Pager.Requested(pageNumber), Pager.DefaultPageSize, 0);
        var result = await certificates.ListAsync(pager.Skip, pager.PageSize, cancellationToken);
        pager = (pager with { Total = result.Total }).Clamped();
        if (result.Items.Count == 0 && result.Total > 0)
        {
            result = await certificates.ListAsync(pager.Skip, pager.PageSize, cancellationToken);
        }

        Items = result.Items;
        Pages = new PagerView(pager, "/console/pki", new Dictionary<string, string?>());
    }

    /// <summary>The CA certificate as a PEM file, for pinning or for installing as a trusted root.</summary>
    public IActionResult OnGetCaCertificate() =>
        File(System.Text.Encoding.ASCII.GetBytes(ca.Certificate.ExportCertificatePem() + "\n"), "application/x-pem-file", "signet-ca.pem");
}
