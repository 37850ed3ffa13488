using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Native;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>
/// The known-answer check before TorchSharp is trusted: real ONNX Runtime agrees with TorchSharp on this machine for
/// both families (cached after the first pass), and a reference that disagrees — as libtorch's faulty AVX-512 kernels
/// did on some CPUs — makes it refuse with exit code 6, naming the CPU, the instruction sets and the difference.
/// </summary>
[TestClass]
public sealed class NumericSelfCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("mobilenetv3", "preset=small,width=0.5", 1)]
    [DataRow("resnet", "stem=16,widths=24/32/48/64", 1)]
    [DataRow("mobilenetv3", "preset=small,width=0.5", 3)]
    public void PassesOnThisMachineThenIsServedFromTheStore(string familyName, string settings, int channels)
    {
        using var network = Network(familyName, settings, channels);
        var sampled = network.Family.Sample(new Random(3));
        network.SetActive(sampled);
        network.train();
        using var folder = new TempFolder();
        using var store = ResultsStore.Open(Path.Combine(folder.Path, "results.db"));
        var check = NumericSelfCheck.WithOnnxRuntime(store);

        var first = check.Run(network, "weights-a");
        Assert.IsFalse(first.FromCache);
        Assert.IsLessThanOrEqualTo(first.Tolerance, first.MaxDifference, first.Description);
        Assert.IsLessThan(5.0, first.Seconds, "the check is meant to be cheap");
        Assert.AreEqual(sampled.Key, network.ActiveGenome.Key, "the active sub-network is restored");
        Assert.IsTrue(network.training, "training mode is restored");
        StringAssert.Contains(first.Description, OneDnnIsaCap.Effective);

        var second = check.Run(network, "weights-a");
        Assert.IsTrue(second.FromCache);
        Assert.AreEqual(first.MaxDifference, second.MaxDifference);
        Assert.IsFalse(check.Run(network, "weights-b").FromCache, "other weights are checked again");
        TestContext.WriteLine($"{first.Summary}; {first.Description}");
    }

    [TestMethod]
    [DataRow(1e-2f)]
    [DataRow(float.NaN)]
    public void RefusesWithExitCode6WhenTheReferenceDisagrees(float perturbation)
    {
        using var network = Network("resnet", "stem=16,widths=24/32/48/64");
        var check = new NumericSelfCheck(new DisagreeingReference(perturbation), cache: null);

        var error = Assert.ThrowsExactly<HwNasException>(() => check.Run(network, "weights"));

        Assert.AreEqual(ExitCode.NumericMismatch, error.ExitCode);
        StringAssert.Contains(error.Message, "numeric self-check failed");
        StringAssert.Contains(error.Message, DeviceFingerprint.ReadCpuModel());
        StringAssert.Contains(error.Message, NumericSelfCheck.HostVectorExtensions());
        StringAssert.Contains(error.Message, "oneDNN capped at " + OneDnnIsaCap.Effective);
        StringAssert.Contains(error.Message, float.IsNaN(perturbation) ? "by a NaN or infinite logit" : "by 0.01");
        Assert.AreEqual(network.Family.Largest().Key, network.ActiveGenome.Key, "the active sub-network is restored after a refusal");
    }

    [TestMethod]
    public void HostVectorExtensionsNameTheWidestSetTheCpuReports()
    {
        using var folder = new TempFolder();
        var avx512 = folder.Write("a", "model name\t: X\nflags\t\t: fpu sse avx avx2 avx512f avx512bw\n");
        var avx2 = folder.Write("b", "flags\t\t: fpu sse avx avx2\n");
        var arm = folder.Write("c", "Features\t: fp asimd evtstrm\n");

        Assert.AreEqual("AVX-512 (avx512bw avx512f)", NumericSelfCheck.HostVectorExtensions(avx512));
        Assert.AreEqual("AVX2", NumericSelfCheck.HostVectorExtensions(avx2));
        Assert.AreEqual("NEON", NumericSelfCheck.HostVectorExtensions(arm));
        Assert.AreEqual("vector extensions unknown", NumericSelfCheck.HostVectorExtensions(Path.Combine(folder.Path, "absent")));
    }

    private static ElasticSupernet Network(string familyName, string settings, int channels = 1)
    {
        var family = FamilyRegistry.Create(familyName, new FamilyOptions(new FeatureShape(channels, 28, 28), 10, FamilySettingsReader.Split(settings)));
        var network = new ElasticSupernet(family);
        network.eval();
        return network;
    }

    /// <summary>ONNX Runtime's answer with one logit moved (or made NaN): what a faulty TorchSharp kernel looks like from the other side.</summary>
    private sealed class DisagreeingReference(float perturbation) : IReferenceInference
    {
        private readonly OrtReferenceInference _ort = new();

        public string Version => _ort.Version;

        public float[] Run(byte[] model, float[] input, long[] shape)
        {
            var output = _ort.Run(model, input, shape);
            output[^1] = float.IsNaN(perturbation) ? float.NaN : output[^1] + perturbation;
            return output;
        }
    }
}
