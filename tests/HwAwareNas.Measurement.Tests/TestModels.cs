using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.Results;
using HwAwareNas.Onnx;

namespace HwAwareNas.Measurement.Tests;

/// <summary>Small conv nets exported with our ONNX exporter, measure settings and fingerprints for tests.</summary>
internal static class TestModels
{
    public static readonly InputShape Input = new(1, 28, 28);

    public static readonly DeviceFingerprint Fingerprint = new(
        "test cpu", 2, 1, 1, "cpu", "fake", "test os", 1, "1x28x28", "all", "fp32");

    public static MeasureOptions Measure(int warmup = 2, int runs = 10, int referenceEvery = 25, double maxVariance = 0.03, int rounds = 1) =>
        new(warmup, runs, rounds, 0.2, 0, referenceEvery, maxVariance, new AdaptiveMeasureOptions(false, 0.02, 10, 1000), LatencyStatistic.TrimmedMean);

    public static DeviceOptions Device(ExecutionProvider provider = ExecutionProvider.Cpu, int threads = 1) =>
        new("test", null, provider, threads, 1, 1, GraphOptimization.All, Precision.Fp32, Measure());

    /// <summary>A request whose model is never loaded by a real runtime (for fake backends).</summary>
    public static ProfileRequest Fake(string key) => new(key, "mobilenetv3", "s1", OnnxModel.FromBytes([]));

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

    /// <summary>Multiply-accumulates of <see cref="ConvNet"/> for one image.</summary>
    public static long ConvNetMacs(int width) => (28L * 28 * 9 * width) + (28L * 28 * 9 * width * width) + (10L * width);

    public static byte[] ConvNetBytes(int width) =>
        OnnxExporter.ToBytes(
            ConvNet(width),
            new OnnxExportOptions("test", "{}", $"w{width}", new OnnxPreprocessing(1.0 / 255, [0.5], [0.5])));

    public static ProfileRequest ConvNetRequest(int width) =>
        new($"w{width}", "test", "s1", OnnxModel.FromBytes(ConvNetBytes(width)));
}
