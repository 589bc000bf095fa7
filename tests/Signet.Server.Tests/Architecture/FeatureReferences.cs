using System.Reflection;
using System.Reflection.Emit;

namespace Signet.Server.Tests.Architecture;

/// <summary>Which server feature uses which, read from the compiled assembly: signatures (base types, interfaces,
/// fields, properties, parameters, returns, generic arguments) and the types and members named in method bodies (IL
/// tokens). A feature is the namespace segment after <c>Signet.Server</c>; nested types, compiler-generated ones
/// (lambdas, async state machines) included, count for the namespace of their outer type.</summary>
internal static class FeatureReferences
{
    private const string Root = "Signet.Server.";

    /// <summary>The feature the model's types count for.</summary>
    public const string ModelFeature = "Data";
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static |
        BindingFlags.DeclaredOnly;

    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];

    static FeatureReferences()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (value < 0x100)
            {
                OneByte[value] = code;
            }
            else if ((value & 0xFF00) == 0xFE00)
            {
                TwoByte[value & 0xFF] = code;
            }
        }
    }

    /// <summary>The feature a type belongs to, or null for types outside any feature folder. The entity classes the
    /// one <c>SignetDbContext</c> maps, their configurations and the enums they store are the model: they live in their
    /// feature's folder but belong to <c>Data</c>, as every feature reaches their tables through the context anyway.</summary>
    public static string? FeatureOf(Type type, IReadOnlySet<Type> model)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        if (model.Contains(outer))
        {
            return ModelFeature;
        }

        var ns = outer.Namespace;
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Every (from feature, to feature) use in the assembly, with where each happens.</summary>
    public static IReadOnlyDictionary<(string From, string To), List<string>> Of(Assembly assembly, Type dbContext)
    {
        var model = ModelOf(assembly, dbContext);
        var edges = new Dictionary<(string, string), List<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (FeatureOf(type, model) is not { } from)
            {
                continue;
            }

            foreach (var (used, where) in UsesOf(type))
            {
                if (FeatureOf(used, model) is { } to && to != from)
                {
                    var place = $"{Name(type)}{where} uses {Name(used)}";
                    if (!edges.TryAdd((from, to), [place]) && !edges[(from, to)].Contains(place))
                    {
                        edges[(from, to)].Add(place);
                    }
                }
            }
        }

        return edges;
    }

    /// <summary>The context's entity classes (its <c>DbSet</c> properties), the enums and owned types they hold, and the
    /// <c>IEntityTypeConfiguration</c> classes for them.</summary>
    public static HashSet<Type> ModelOf(Assembly assembly, Type dbContext)
    {
        var entities = dbContext.GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition().Name == "DbSet`1")
            .Select(p => p.PropertyType.GetGenericArguments()[0])
            .ToHashSet();
        var model = new HashSet<Type>(entities);
        foreach (var entity in entities)
        {
            foreach (var property in entity.GetProperties())
            {
                var stored = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (stored.Assembly == assembly && (stored.IsEnum || stored.IsValueType))
                {
                    model.Add(stored);
                }
            }
        }

        foreach (var type in assembly.GetTypes())
        {
            if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition().Name == "IEntityTypeConfiguration`1" &&
                entities.Contains(i.GetGenericArguments()[0])))
            {
                model.Add(type);
            }
        }

        return model;
    }

    private static List<(Type Used, string Where)> UsesOf(Type type)
    {
        var found = new List<(Type Used, string Where)>();
        void Add(Type? used, string where)
        {
            foreach (var part in Unwrap(used))
            {
                found.Add((part, where));
            }
        }

        Add(type.BaseType, " (base type)");
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract, " (interface)");
        }

        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType, "." + field.Name);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, "." + property.Name);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var where = "." + method.Name;
            if (method is MethodInfo info)
            {
                Add(info.ReturnType, where);
                foreach (var argument in info.IsGenericMethodDefinition ? info.GetGenericArguments() : [])
                {
                    foreach (var constraint in argument.GetGenericParameterConstraints())
                    {
                        Add(constraint, where);
                    }
                }
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType, where);
            }

            foreach (var used in BodyUses(method))
            {
                Add(used, where);
            }
        }

        return found;
    }

    /// <summary>The types named by the method's IL: type tokens, and the declaring types (and generic arguments) of the
    /// methods and fields it calls or loads.</summary>
    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var code = il[at] == 0xFE ? TwoByte[il[++at]] : OneByte[il[at]];
            at++;
            switch (code.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    foreach (var used in Resolve(module, token, typeArguments, methodArguments))
                    {
                        yield return used;
                    }

                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static IEnumerable<Type> Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments)!;
        }
        catch (ArgumentException)
        {
            yield break; // a token the context cannot resolve (e.g. a string or signature): nothing to attribute
        }

        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case MethodBase called:
                if (called.DeclaringType is { } owner)
                {
                    yield return owner;
                }

                if (called is MethodInfo { IsGenericMethod: true } generic)
                {
                    foreach (var argument in generic.GetGenericArguments())
                    {
                        yield return argument;
                    }
                }

                break;
            case FieldInfo field:
                if (field.DeclaringType is { } fieldOwner)
                {
                    yield return fieldOwner;
                }

                yield return field.FieldType;
                break;
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>The type and everything it is built from: element types and generic arguments.</summary>
    private static IEnumerable<Type> Unwrap(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var element in Unwrap(type.GetElementType()))
            {
                yield return element;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return argument;
            }
        }
    }

    private static string Name(Type type) => type.DeclaringType is { } outer ? Name(outer) + "+" + type.Name : type.Namespace + "." + type.Name;
}
