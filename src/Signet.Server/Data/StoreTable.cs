using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Signet.Server.Data;

/// <summary>An entity type's table as the database knows it, read from the EF model once per model: the delimited table
/// and column names, and parameters made with each property's type mapping, so a command written by hand stores what
/// SaveChanges would (value converters included: SQLite keeps every <see cref="DateTimeOffset"/> as a 64-bit number).</summary>
internal sealed class StoreTable
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, StoreTable>> Tables = [];

    private readonly Dictionary<string, IProperty> _properties;
    private readonly StoreObjectIdentifier _table;

    private StoreTable(IEntityType entityType, ISqlGenerationHelper sql)
    {
        Sql = sql;
        EntityType = entityType;
        var name = entityType.GetTableName() ??
            throw new InvalidOperationException($"{entityType.DisplayName()} is not mapped to a table.");
        _table = StoreObjectIdentifier.Table(name, entityType.GetSchema());
        Name = sql.DelimitIdentifier(name, entityType.GetSchema());
        _properties = entityType.GetProperties().ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>The table of <typeparamref name="TEntity"/> in the context's model.</summary>
    public static StoreTable Of<TEntity>(DbContext db) where TEntity : class =>
        Tables.GetValue(db.Model, _ => new ConcurrentDictionary<Type, StoreTable>())
            .GetOrAdd(typeof(TEntity), static (type, db) => new StoreTable(
                db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model."),
                db.GetService<ISqlGenerationHelper>()), db);

    /// <summary>The provider's SQL spelling: identifier quoting, parameter names and placeholders.</summary>
    public ISqlGenerationHelper Sql { get; }

    public IEntityType EntityType { get; }

    /// <summary>The delimited table name, schema included.</summary>
    public string Name { get; }

    /// <summary>Every mapped property of the entity type, shadow and store-generated ones included.</summary>
    public IEnumerable<IProperty> Properties => _properties.Values;

    /// <summary>The delimited column of a property (<c>nameof(Entity.Property)</c>).</summary>
    public string Column(string property) => Column(Property(property));

    public string Column(IProperty property) => Sql.DelimitIdentifier(property.GetColumnName(_table) ??
        throw new InvalidOperationException($"{EntityType.DisplayName()}.{property.Name} has no column in {Name}."));

    public IProperty Property(string name) => _properties.TryGetValue(name, out var property) ? property :
        throw new InvalidOperationException($"{EntityType.DisplayName()} has no property {name}.");

    /// <summary>A parameter holding <paramref name="value"/> as the property's column stores it.</summary>
    public static DbParameter Parameter(DbCommand command, IProperty property, string name, object? value) =>
        property.GetRelationalTypeMapping().CreateParameter(command, name, value, property.IsNullable);

    /// <summary>A command on the context's connection, in its current transaction (if any).</summary>
    public static DbCommand Command(DbContext db, string text)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } seconds)
        {
            command.CommandTimeout = seconds;
        }

        return command;
    }

    /// <summary>Sets parameter <paramref name="index"/> of a command made with <see cref="Command"/>: the first time it
    /// is made by the type mapping, afterwards only its value is set, converted as the mapping converts it. Npgsql binds
    /// a prepared command to its parameter objects, so a parameter replaced after <c>Prepare</c> would be ignored.</summary>
    public static void Bind(DbCommand command, int index, IProperty property, string name, object? value)
    {
        if (index == command.Parameters.Count)
        {
            command.Parameters.Add(Parameter(command, property, name, value));
            return;
        }

        var converter = property.GetRelationalTypeMapping().Converter;
        command.Parameters[index].Value = (value is not null && converter is not null ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
    }
}
