using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using TorchSharp;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Elastic;

[TestClass]
public sealed class ElasticSupernetTests
{
    private static readonly FeatureShape Grey28 = new(1, 28, 28);

    public static IEnumerable<object[]> Families =>
    [
        ["mobilenetv3", "width=0.5"], ["resnet", "stem=16,widths=32/48/64/96"], ["transformer", "pool=cls"], ["transformer", "pool=mean,patch=4"],
    ];

    private static IElasticFamily Create(string name, string settings) =>
        FamilyRegistry.Create(name, new FamilyOptions(Grey28, 10, FamilySettingsReader.Split(settings)));

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void AllocatedParametersEqualTheLargestSubnetCount(string name, string settings)
    {
        var family = Create(name, settings);
        using var supernet = new ElasticSupernet(family);
        var allocated = supernet.parameters().Sum(p => p.numel());
        Assert.AreEqual(family.Plan(family.Largest()).Parameters, allocated);
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void ExtractedSubnetsCountExactlyTheCoreParameters(string name, string settings)
    {
        var family = Create(name, settings);
        using var supernet = new ElasticSupernet(family);
        var random = new Random(2);
        foreach (var genome in new[] { family.Largest(), family.Smallest(), family.Sample(random), family.Sample(random) })
        {
            supernet.SetActive(genome);
            var graph = supernet.ExtractActive();
            Assert.AreEqual(family.Plan(genome).Parameters, SubnetGraphReference.CountParameters(graph), family.ToOfaNotation(genome));
            Assert.HasCount(supernet.ActivePlan.Ops.Count, graph.Nodes);
            CollectionAssert.AreEqual(new[] { 1, 28, 28 }, graph.InputShape.ToArray());
        }
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void SubnetForwardGivesLogitsPerImage(string name, string settings)
    {
        var family = Create(name, settings);
        using var supernet = new ElasticSupernet(family);
        supernet.SetActive(family.Sample(new Random(4)));
        supernet.eval();
        using var scope = NewDisposeScope();
        var output = supernet.call(randn(3, 1, 28, 28));
        CollectionAssert.AreEqual(new long[] { 3, 10 }, output.shape);
        Assert.IsTrue(output.isfinite().all().item<bool>());
    }

    [TestMethod]
    [DynamicData(nameof(Families))]
    public void ExtractedGraphReproducesTheModuleInEvalMode(string name, string settings)
    {
        var family = Create(name, settings);
        using var supernet = new ElasticSupernet(family);
        using var scope = NewDisposeScope();
        var random = new Random(9);
        foreach (var genome in new[] { family.Sample(random), family.Sample(random), family.Smallest() })
        {
            supernet.SetActive(genome);

            // A few training-mode passes give the BatchNorm slices non-trivial running statistics.
            supernet.train();
            using (no_grad())
            {
                for (var i = 0; i < 3; i++)
                {
                    supernet.call(randn(4, 1, 28, 28) * 2 + 0.5);
                }
            }

            supernet.eval();
            var input = randn(2, 1, 28, 28);
            using (no_grad())
            {
                var expected = supernet.call(input);
                var actual = SubnetGraphReference.Evaluate(supernet.ExtractActive(), input);
                Assert.IsTrue(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), family.ToOfaNotation(genome));
            }
        }
    }

    [TestMethod]
    public void ForwardUsesExactlyTheActiveSlicesOfKernelAndChannels()
    {
        var family = Create("mobilenetv3", "width=0.5");

        // Every block k3 (centre of the stored 7×7), expand 3 (leading channels of the stored expand-6 layers).
        var genome = family.Smallest();
        using var supernet = new ElasticSupernet(family);
        supernet.SetActive(genome);
        supernet.eval();
        using var scope = NewDisposeScope();
        var input = randn(2, 1, 28, 28);
        using var noGrad = no_grad();
        var before = supernet.call(input);

        var depthwise = (ElasticConv2d)supernet.named_modules().Single(m => m.name.EndsWith("blocks_1_depth_conv_conv", StringComparison.Ordinal)).module;
        var expandConv = (ElasticConv2d)supernet.named_modules().Single(m => m.name.EndsWith("blocks_1_inverted_bottleneck_conv", StringComparison.Ordinal)).module;
        var activeMiddle = supernet.ActivePlan.Ops.OfType<ConvOp>().Single(o => o.Slot == "blocks.1.inverted_bottleneck.conv").OutChannels;
        Assert.IsLessThan(expandConv.MaxOutChannels, activeMiddle);

        // Outside the active slices: the 7×7 kernel's border and the trailing expanded channels.
        depthwise.Weight[TensorIndex.Colon, TensorIndex.Colon, 0, TensorIndex.Colon] = 100f;
        depthwise.Weight[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Colon, 6] = 100f;
        expandConv.Weight[TensorIndex.Slice(activeMiddle), TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Colon] = 100f;
        Assert.IsTrue(before.eq(supernet.call(input)).all().item<bool>(), "weights outside the active slices changed the output");

        // Inside: the centre tap of the kernel.
        depthwise.Weight[TensorIndex.Colon, TensorIndex.Colon, 3, 3] = 5f;
        Assert.IsFalse(before.allclose(supernet.call(input)), "the active kernel centre did not affect the output");

        // With kernel 7 the border is used.
        supernet.SetActive(genome.With(0, 2));
        var withBorder = supernet.call(input);
        depthwise.Weight[TensorIndex.Colon, TensorIndex.Colon, 0, TensorIndex.Colon] = -100f;
        Assert.IsFalse(withBorder.allclose(supernet.call(input)));
    }

    [TestMethod]
    public void TrainingUpdatesOnlyTheLeadingBatchNormStatistics()
    {
        var family = Create("resnet", "stem=16,widths=32/48/64/96");
        using var supernet = new ElasticSupernet(family);
        var genome = family.Smallest();
        supernet.SetActive(genome);
        var op = supernet.ActivePlan.Ops.OfType<BatchNormOp>().Single(o => o.Slot == "blocks.0.conv1.bn");
        var bn = (ElasticBatchNorm2d)supernet.named_modules().Single(m => m.name.EndsWith("blocks_0_conv1_bn", StringComparison.Ordinal)).module;
        Assert.IsLessThan(bn.MaxChannels, op.Channels);

        supernet.train();
        using (no_grad())
        {
            supernet.call(randn(4, 1, 28, 28) + 3);
        }

        var all = bn.RunningMean(bn.MaxChannels);
        Assert.IsTrue(all.narrow(0, 0, op.Channels).abs().sum().item<float>() > 0);
        Assert.AreEqual(0f, all.narrow(0, op.Channels, bn.MaxChannels - op.Channels).abs().sum().item<float>());

        supernet.ResetRunningStatistics();
        Assert.AreEqual(0f, bn.RunningMean(bn.MaxChannels).abs().sum().item<float>());
        Assert.AreEqual(bn.MaxChannels, bn.RunningVariance(bn.MaxChannels).sum().item<float>());
    }

    [TestMethod]
    public void ClassifierDropoutActsOnlyInTrainingMode()
    {
        var family = Create("mobilenetv3", "width=0.5");
        using var supernet = new ElasticSupernet(family) { ClassifierDropout = 0.5 };
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(2, 1, 28, 28);
        supernet.eval();
        Assert.IsTrue(supernet.call(input).eq(supernet.call(input)).all().item<bool>());

        // BatchNorm would also differ between training and eval, so compare two training passes with each other.
        supernet.train();
        Assert.IsFalse(supernet.call(input).allclose(supernet.call(input)));
        supernet.ClassifierDropout = 0;
        Assert.IsTrue(supernet.call(input).allclose(supernet.call(input)));
    }

    [TestMethod]
    public void SetActiveRejectsInvalidGenomes()
    {
        var family = Create("mobilenetv3", "width=0.5");
        using var supernet = new ElasticSupernet(family);
        Assert.ThrowsExactly<Core.Diagnostics.HwNasException>(() => supernet.SetActive(new Genome([0, 1])));
        Assert.AreEqual(family.Largest(), supernet.ActiveGenome);
    }
}
