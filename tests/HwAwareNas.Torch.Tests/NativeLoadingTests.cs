using TorchSharp;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests;

/// <summary>
/// Proves TorchSharp's native library loads and computes on this host (the build patches it where needed).
/// </summary>
[TestClass]
public sealed class NativeLoadingTests
{
    [TestMethod]
    public void Conv2dForwardRunsAndComputesTheExpectedSum()
    {
        using var scope = NewDisposeScope();
        var input = ones(1, 2, 5, 5);
        var weight = full(3, 2, 3, 3, 0.5f);

        var output = nn.functional.conv2d(input, weight, padding: [1, 1]);

        CollectionAssert.AreEqual(new long[] { 1, 3, 5, 5 }, output.shape);
        // Centre pixel sees the full 2×3×3 window of ones times 0.5; a corner sees 2×2×2.
        Assert.AreEqual(9f, output[0, 0, 2, 2].item<float>(), 1e-6f);
        Assert.AreEqual(4f, output[0, 1, 0, 0].item<float>(), 1e-6f);
    }
}
