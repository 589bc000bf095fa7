using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;
using Signet.Server.Data;
using Signet.Server.Invitations;

namespace Signet.Server.Lifecycle;

/// <summary>Takes one use of an invitation with one conditional UPDATE, so racing enrollments (on any node) cannot
/// both have the last use; the rollback of the caller's transaction gives it back if anything later fails. Run on
/// the context's transaction without the change tracker, its SQL built from the EF model once per model.</summary>
internal sealed class InvitationUseCommand : IDisposable
{
    private static readonly ConditionalWeakTable<IModel, Statement> ByModel = [];

    private readonly Statement _statement;
    private readonly StoreCommand _command;

    /// <summary>A command on the context's current transaction; <paramref name="prepare"/> when it takes several uses.</summary>
    public InvitationUseCommand(SignetDbContext db, bool prepare)
    {
        _statement = ByModel.GetValue(db.Model, _ => new Statement(StoreTable.Of<Invitation>(db)));
        _command = new StoreCommand(db, _statement.Text, prepare);
    }

    /// <summary>True when the invitation had a use left and had not expired at <paramref name="now"/>: one use is gone.</summary>
    public async Task<bool> TakeAsync(string invitationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _command.Bind(0, _statement.Id, _statement.IdName, invitationId);
        _command.Bind(1, _statement.ExpiresAt, _statement.NowName, now);
        return await _command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public void Dispose() => _command.Dispose();

    private sealed class Statement
    {
        public Statement(StoreTable invitations)
        {
            var sql = invitations.Sql;
            Id = invitations.Property(nameof(Invitation.Id));
            ExpiresAt = invitations.Property(nameof(Invitation.ExpiresAt));
            IdName = sql.GenerateParameterName("id");
            NowName = sql.GenerateParameterName("now");
            var uses = invitations.Column(nameof(Invitation.UsesRemaining));
            Text = $"UPDATE {invitations.Name} SET {uses} = {uses} - 1 " +
                $"WHERE {invitations.Column(Id)} = {sql.GenerateParameterNamePlaceholder("id")} AND {uses} > 0 " +
                $"AND {invitations.Column(ExpiresAt)} > {sql.GenerateParameterNamePlaceholder("now")}";
        }

        public string Text { get; }

        public IProperty Id { get; }

        public IProperty ExpiresAt { get; }

        public string IdName { get; }

        public string NowName { get; }
    }
}
