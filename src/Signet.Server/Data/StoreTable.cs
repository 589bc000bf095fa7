using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Signet.Server.Data;

/// <summary>An entity type's table as the database knows it, read from the EF model once per model: the delimited table
/// and column names and the properties behind them, so SQL written by hand (<see cref="StoreCommand"/>) names what
/// the migrations made.</summary>
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
}
