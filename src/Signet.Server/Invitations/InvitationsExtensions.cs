namespace Signet.Server.Invitations;

internal static class InvitationsExtensions
{
    /// <summary>Invitations: created and listed by administrators, used up by the certificate lifecycle.</summary>
    public static WebApplicationBuilder AddInvitations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InvitationService>();
        return builder;
    }
}
