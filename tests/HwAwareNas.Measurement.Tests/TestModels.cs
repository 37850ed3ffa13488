using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement.Tests;

/// <summary>Requests for the shared test conv net, measure settings and fingerprints for tests.</summary>
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

    /// <summary>Multiply-accumulates of <see cref="TestNetworks.ConvNet"/> for one image.</summary>
    public static long ConvNetMacs(int width) => (28L * 28 * 9 * width) + (28L * 28 * 9 * width * width) + (10L * width);

    public static ProfileRequest ConvNetRequest(int width) =>
        new($"w{width}", "test", "s1", OnnxModel.FromBytes(TestNetworks.ConvNetBytes(width)));
}
