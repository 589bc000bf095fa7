using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Signet.Agent.Commands;

namespace Signet.Agent.Tests.Architecture;

/// <summary>The agent's folders depend on each other one way (docs/architecture.md, "Agent folders and their
/// dependencies"): a folder uses only the folders listed for it. Uses are read from the compiled agent, so a use the
/// source hides (a fully qualified name, a parent namespace seen without a using, a lambda or async body) still counts.</summary>
public sealed partial class AgentDependencyTests
{
    private const string Root = "Signet.Agent.";

    // Folder (namespace below Signet.Agent) -> the folders it may use besides itself. Keep in step with the doc.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Commands"] = ["ServerClient", "Keychain", "Keychain.Tokens", "Keychain.Keys", "Keychain.Files", "DeviceIdentity", "Inventory", "Outcomes"],
        ["ServerClient"] = ["Outcomes"],
        ["Inventory"] = ["DeviceIdentity"],
        ["DeviceIdentity"] = [],
        ["Keychain"] = ["Keychain.Tokens", "Keychain.Keys", "Keychain.Files"],
        ["Keychain.Tokens"] = ["Keychain.Keys", "Keychain.Files"],
        ["Keychain.Keys"] = [],
        ["Keychain.Files"] = [],
        ["Outcomes"] = [],
    };

    private static readonly Assembly Agent = typeof(AgentCli).Assembly;

    [Fact]
    public void EveryFolderUsesOnlyTheFoldersAllowedToIt()
    {
        var violations = Violations(Allowed);

        Assert.True(violations.Count == 0, "Uses against the folder map:\n" + string.Join('\n', violations));
    }

    // A constant (ExitCodes.Failure, say) is copied into the code that reads it and leaves no trace in the compiled
    // agent; the using line that brings it in does.
    [Fact]
    public void NoSourceFileImportsAFolderItMayNotUse()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "Signet.Agent");
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            if (lines.Select(l => NamespaceLine().Match(l)).FirstOrDefault(m => m.Success) is not { } ns)
            {
                continue;
            }

            var folder = ns.Groups[1].Value;
            var mayUse = Allowed.GetValueOrDefault(folder, []);
            violations.AddRange(lines.Select(l => UsingLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)
                .Where(used => used != folder && !mayUse.Contains(used))
                .Select(used => $"{folder} -> {used}: {Path.GetRelativePath(source, file)}"));
        }

        Assert.True(violations.Count == 0, "Using lines against the folder map:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void EveryFolderHasItsPlaceInTheMap()
    {
        var folders = Agent.GetTypes().Select(t => FolderOf(t)).OfType<string>().Distinct().Order();

        Assert.All(folders, folder => Assert.True(Allowed.ContainsKey(folder), $"Signet.Agent.{folder} is in no row of the folder map; give it one."));
    }

    // The check must be able to fail: over a map that forbids a use the agent really makes, it names that use. Each
    // row is seen a different way: a constructor parameter, a type test in a method body, a constructor call inside an
    // async method (its compiler-generated state machine, counted under the type that wrote the method).
    [Theory]
    [InlineData("Inventory", "DeviceIdentity", "InventoryCollector", "ComputerIdentity")]
    [InlineData("Commands", "Keychain.Files", "CommandRunner", "KeychainException")]
    [InlineData("Commands", "Inventory", "ReconCommand", "InventoryCollector")]
    public void ACheckOverASmallerMapNamesTheUseItForbids(string folder, string used, string user, string usedType)
    {
        var smaller = Allowed.ToDictionary(row => row.Key, row => row.Key == folder ? row.Value.Where(f => f != used).ToArray() : row.Value);

        var violations = Violations(smaller);

        Assert.Contains($"{folder} -> {used}: {user} uses {usedType}", violations);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Signet.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return directory.FullName;
    }

    [GeneratedRegex(@"^namespace Signet\.Agent\.([\w.]+);")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using Signet\.Agent\.([\w.]+);")]
    private static partial Regex UsingLine();

    private static List<string> Violations(Dictionary<string, string[]> allowed)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in Agent.GetTypes())
        {
            if (FolderOf(type) is not { } folder)
            {
                continue;
            }

            foreach (var used in UsedTypes(type))
            {
                if (FolderOf(used) is { } usedFolder && usedFolder != folder
                    && !(allowed.TryGetValue(folder, out var mayUse) && mayUse.Contains(usedFolder)))
                {
                    found.Add($"{folder} -> {usedFolder}: {Outermost(type).Name} uses {Outermost(used).Name}");
                }
            }
        }

        return [.. found];
    }

    /// <summary>The folder of an agent type (its namespace below Signet.Agent); null for anything else.</summary>
    private static string? FolderOf(Type type) =>
        type.Assembly == Agent && type.Namespace is { } ns && ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..] : null;

    // Compiler-generated types (closures, state machines) are nested in the type whose code they hold.
    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        direct.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        direct.AddRange(type.GetEvents(Declared).Select(e => e.EventHandlerType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            direct.AddRange(Signature(method));
            direct.AddRange(method.GetCustomAttributesData().Select(a => a.AttributeType));
            if (method.GetMethodBody() is { } body)
            {
                direct.AddRange(body.LocalVariables.Select(l => l.LocalType));
                direct.AddRange(body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause).Select(c => c.CatchType));
                direct.AddRange(TypesInBody(method, body));
            }
        }

        return direct.OfType<Type>().SelectMany(Unwrap);
    }

    private static IEnumerable<Type?> Signature(MethodBase method) =>
        method.GetParameters().Select(p => p.ParameterType)
            .Append(method is MethodInfo info ? info.ReturnType : null)
            .Concat(method.IsGenericMethod ? method.GetGenericArguments() : []);

    /// <summary>A type and what it is made of: element types, generic arguments, the types it is nested in.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return inner;
            }
        }

        if (type.DeclaringType is { } outer)
        {
            yield return outer;
        }
    }

    /// <summary>The types named by the body's type, field, method and token operands.</summary>
    private static IEnumerable<Type?> TypesInBody(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var opCode = il[position] == 0xFE ? TwoByteOpCodes[il[position + 1]] : OneByteOpCodes[il[position]];
            position += opCode.Size;
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineField or OperandType.InlineMethod)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                foreach (var used in TypesOf(member))
                {
                    yield return used;
                }
            }

            position += OperandSize(opCode, il, position);
        }
    }

    private static IEnumerable<Type?> TypesOf(MemberInfo? member) => member switch
    {
        Type type => [type],
        FieldInfo field => [field.DeclaringType, field.FieldType],
        MethodBase method => Signature(method).Prepend(method.DeclaringType),
        _ => [],
    };

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static readonly OpCode[] OneByteOpCodes = OpCodeTable(twoByte: false);
    private static readonly OpCode[] TwoByteOpCodes = OpCodeTable(twoByte: true);

    private static OpCode[] OpCodeTable(bool twoByte)
    {
        var table = new OpCode[256];
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            if ((opCode.Size == 2) == twoByte)
            {
                table[(ushort)opCode.Value & 0xFF] = opCode;
            }
        }

        return table;
    }
}
