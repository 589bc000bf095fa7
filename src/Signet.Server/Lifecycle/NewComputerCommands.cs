using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Data;

namespace Signet.Server.Lifecycle;

/// <summary>The statements of one group commit (<see cref="NewComputerCommitter"/>), run on the batch's connection and
/// transaction without the change tracker, those run per enrollment prepared once for the batch
/// (<see cref="StoreCommand"/>): which UDIDs are enrolled, the conditional UPDATE that takes an invitation use
/// (<see cref="InvitationUseCommand"/>), and the rows of a new computer. Their SQL comes from the EF model, so names
/// and value encodings are the model's.</summary>
internal sealed class NewComputerCommands : IDisposable
{
    private static readonly ConditionalWeakTable<IModel, Statements> ByModel = [];

    private readonly SignetDbContext _db;
    private readonly Statements _sql;
    private readonly InvitationUseCommand _takeUse;
    private readonly RowInserter<Computer> _computers;
    private readonly RowInserter<IssuedCertificate> _certificates;
    private readonly RowInserter<AuditEvent> _audit;

    public NewComputerCommands(SignetDbContext db)
    {
        _db = db;
        _sql = ByModel.GetValue(db.Model, _ => new Statements(db));
        _takeUse = new InvitationUseCommand(db, prepare: true);
        _computers = new RowInserter<Computer>(db);
        _certificates = new RowInserter<IssuedCertificate>(db);
        _audit = new RowInserter<AuditEvent>(db);
    }

    /// <summary>Which of the UDIDs an enrolled (not deleted) computer has, in one query.</summary>
    public async Task<HashSet<string>> EnrolledAsync(IReadOnlyList<string> udids)
    {
        var udid = _sql.Computers.Property(nameof(Computer.Udid));
        var names = udids.Select((_, i) => "p" + i).ToList();
        using var command = new StoreCommand(_db,
            $"{_sql.EnrolledAmong}({string.Join(", ", names.Select(_sql.Computers.Sql.GenerateParameterNamePlaceholder))})", prepare: false);
        for (var i = 0; i < udids.Count; i++)
        {
            command.Bind(i, udid, _sql.Computers.Sql.GenerateParameterName(names[i]), udids[i]);
        }

        var enrolled = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync())
        {
            enrolled.Add(reader.GetString(0));
        }

        return enrolled;
    }

    /// <summary>Takes one use of the invitation if it has one left and has not expired; the transaction's rollback gives
    /// it back.</summary>
    public Task<bool> TakeUseAsync(string invitationId, DateTimeOffset now) => _takeUse.TakeAsync(invitationId, now, CancellationToken.None);

    /// <summary>Writes the computer, its certificate and its audit event.</summary>
    public async Task InsertAsync(NewComputer enrollment)
    {
        await _computers.InsertAsync(enrollment.Computer, CancellationToken.None);
        await _certificates.InsertAsync(enrollment.Certificate, CancellationToken.None);
        await _audit.InsertAsync(enrollment.Audit, CancellationToken.None);
    }

    public void Dispose()
    {
        _takeUse.Dispose();
        _computers.Dispose();
        _certificates.Dispose();
        _audit.Dispose();
    }

    /// <summary>The SQL of one model.</summary>
    private sealed class Statements
    {
        public Statements(SignetDbContext db)
        {
            Computers = StoreTable.Of<Computer>(db);
            // The DeletedAt test is the query filter of Computers: a deleted computer's UDID may enroll again.
            EnrolledAmong = $"SELECT {Computers.Column(nameof(Computer.Udid))} FROM {Computers.Name} " +
                $"WHERE {Computers.Column(nameof(Computer.DeletedAt))} IS NULL AND {Computers.Column(nameof(Computer.Udid))} IN ";
        }

        public StoreTable Computers { get; }

        /// <summary>The query of enrolled UDIDs up to the parenthesised list of them.</summary>
        public string EnrolledAmong { get; }
    }
}
