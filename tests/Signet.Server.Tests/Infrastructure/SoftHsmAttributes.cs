namespace Signet.Server.Tests.Infrastructure;

/// <summary>Tests that load a PKCS#11 module into this process run one at a time: a module is initialised once per
/// process, and a second server host finalising it would pull it from under the first.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Pkcs11InProcess
{
    public const string Name = "pkcs11 in process";
}

/// <summary>A fact that needs SoftHSM2 (skipped with the reason where it is not installed, failing under CI).</summary>
public sealed class SoftHsmFactAttribute : FactAttribute
{
    public SoftHsmFactAttribute() => Skip = SoftHsmStore.SkipReason;
}

/// <summary>A theory that needs SoftHSM2 (skipped with the reason where it is not installed, failing under CI).</summary>
public sealed class SoftHsmTheoryAttribute : TheoryAttribute
{
    public SoftHsmTheoryAttribute() => Skip = SoftHsmStore.SkipReason;
}
