using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Signet.Server.Data;

/// <summary>A command written by hand on the context's connection and current transaction, its parameters made by the
/// model's type mappings (<see cref="StoreTable"/>). One that runs again with new values is prepared at its first run,
/// once its parameters say their types (PostgreSQL prepares with them).</summary>
internal sealed class StoreCommand : IDisposable
{
    private readonly DbCommand _command;
    private bool _prepare;

    /// <summary>A command of <paramref name="text"/>; <paramref name="prepare"/> when it will run more than once, so
    /// preparing it pays.</summary>
    public StoreCommand(DbContext db, string text, bool prepare)
    {
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.CommandText = text;
        _command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } seconds)
        {
            _command.CommandTimeout = seconds;
        }

        _prepare = prepare;
    }

    /// <summary>Sets parameter <paramref name="index"/> (<paramref name="name"/> from the provider's
    /// <see cref="ISqlGenerationHelper.GenerateParameterName(string)"/>) to a value of the property, stored as its
    /// column stores it. The first time the type mapping makes the parameter; afterwards only its value is set,
    /// converted as the mapping converts it: Npgsql holds a prepared command to its parameter objects.</summary>
    public void Bind(int index, IProperty property, string name, object? value)
    {
        var mapping = property.GetRelationalTypeMapping();
        if (index == _command.Parameters.Count)
        {
            _command.Parameters.Add(mapping.CreateParameter(_command, name, value, property.IsNullable));
            return;
        }

        _command.Parameters[index].Value = (value is not null && mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ??
            DBNull.Value;
    }

    public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Prepared().ExecuteNonQueryAsync(cancellationToken);

    public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Prepared().ExecuteScalarAsync(cancellationToken);

    public Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) => Prepared().ExecuteReaderAsync(cancellationToken);

    public void Dispose() => _command.Dispose();

    private DbCommand Prepared()
    {
        if (_prepare)
        {
            _command.Prepare();
            _prepare = false;
        }

        return _command;
    }
}
