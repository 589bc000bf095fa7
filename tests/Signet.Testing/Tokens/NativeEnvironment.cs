using System.Runtime.InteropServices;

namespace Signet.Testing.Tokens;

/// <summary>Sets an environment variable for a PKCS#11 module loaded into this process: .NET keeps its own copy of the
/// environment, and a module reads the C library's.</summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets the variable in both, so the modules loaded here and the programs started from here see it.</summary>
    public static void Set(string name, string value)
    {
        if (SetEnvironment(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed.");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
