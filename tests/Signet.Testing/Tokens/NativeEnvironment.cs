using System.Runtime.InteropServices;

namespace Signet.Testing.Tokens;

/// <summary>Sets an environment variable for a PKCS#11 module loaded into this process: .NET keeps its own copy of the
/// environment, and a module reads the C library's. Programs started from here get their environment explicitly.</summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets the variable for the modules loaded here only; programs started from here do not inherit it.</summary>
    public static void Set(string name, string value)
    {
        if (SetEnvironment(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed.");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
