using HwAwareNas.Core.Networks;
using HwAwareNas.Onnx;

namespace HwAwareNas.TestSupport;

/// <summary>A small conv net (1×28×28 → 10) for tests that measure real ONNX models, built as a SubnetGraph.</summary>
public static class TestNetworks
{
    /// <summary>stem 3×3 conv 1→w, relu, 3×3 conv w→w, relu, global average pool, flatten, linear w→10.</summary>
    public static SubnetGraph ConvNet(int width, int seed = 1)
    {
        var random = new Random(seed);
        float[] Uniform(int count, double bound) =>
            [.. Enumerable.Range(0, count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * bound))];
        TensorData Tensor(int[] shape, double bound) => new(shape, Uniform(shape.Aggregate(1, (a, b) => a * b), bound));

        List<SubnetNode> nodes =
        [
            new ConvNode("stem", "x", Tensor([width, 1, 3, 3], 0.5), Tensor([width], 0.1), 1, 1, 1),
            new ActivationNode("stem_act", "stem", ActivationKind.Relu),
            new ConvNode("body", "stem_act", Tensor([width, width, 3, 3], 0.1), Tensor([width], 0.1), 1, 1, 1),
            new ActivationNode("body_act", "body", ActivationKind.Relu),
            new GlobalAveragePoolNode("pool", "body_act"),
            new FlattenNode("flat", "pool"),
            new LinearNode("fc", "flat", Tensor([10, width], 0.3), Tensor([10], 0.1)),
        ];
        return new SubnetGraph("x", [1, 28, 28], nodes, "fc");
    }

    /// <summary><see cref="ConvNet"/> exported with our ONNX exporter.</summary>
    public static byte[] ConvNetBytes(int width, int seed = 1) =>
        OnnxExporter.ToBytes(
            ConvNet(width, seed),
            new OnnxExportOptions("test", "{}", $"w{width}", new OnnxPreprocessing(1.0 / 255, [0.5], [0.5])));
}
