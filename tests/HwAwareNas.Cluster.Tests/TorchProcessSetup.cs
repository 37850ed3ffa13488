using HwAwareNas.Torch.Native;

namespace HwAwareNas.Cluster.Tests;

/// <summary>
/// Applies the product's oneDNN instruction-set cap before any test runs, as the tool does at start-up: the tests run
/// hwnas commands in-process, which load TorchSharp, and oneDNN reads its cap only once, at the first kernel it dispatches.
/// </summary>
[TestClass]
public static class TorchProcessSetup
{
    [AssemblyInitialize]
    public static void ApplyProductSettings(TestContext context) => OneDnnIsaCap.Apply();
}
