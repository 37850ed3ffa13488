using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Encodings;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Tests;

/// <summary>
/// Encodings on the elastic Transformer's space (<c>small</c> preset: d, w, then heads and MLP ratio per block), whose
/// embedding width changes every block without changing any block's genes.
/// </summary>
[TestClass]
public sealed class TransformerSpaceTests
{
    private static readonly IElasticFamily Family =
        FamilyRegistry.Create("transformer", new FamilyOptions(new FeatureShape(1, 28, 28), 10));

    [TestMethod]
    public void FccCannotSeeTheWidthSoTheMlpDefaultsToMaskedOneHot()
    {
        var narrow = Family.FromOfaNotation("{\"d\":[3],\"w\":[32],\"h\":[2,3,4,4],\"r\":[2,3,4,4]}");
        var wide = narrow.With(1, 2);
        CollectionAssert.AreEqual(new FccEncoding(Family).Encode(narrow), new FccEncoding(Family).Encode(wide));
        CollectionAssert.AreNotEqual(new OneHotEncoding(Family).Encode(narrow), new OneHotEncoding(Family).Encode(wide));

        Assert.IsFalse(FccEncoding.SeesEveryGene(Family));
        Assert.IsTrue(FccEncoding.SeesEveryGene(FamilyRegistry.Create("mobilenetv3")));
        Assert.AreEqual("onehot", GenomeEncodings.DefaultFor("mlp", Family));
        Assert.AreEqual("fcc", GenomeEncodings.DefaultFor("mlp", FamilyRegistry.Create("mobilenetv3")));
    }

    [TestMethod]
    public void RidgeOnMaskedOneHotRanksSubnetworkCostsOnHeldOutGenomes()
    {
        // MACs stand in for latency: they grow with depth, width, heads and MLP ratio, and with width × the others.
        var sampler = new DepthBalancedSampler(Family, new DepthBins(Family, 3));
        var train = sampler.SampleBalanced(120, new Random(5));
        var test = sampler.SampleBalanced(100, new Random(6));
        double Cost(Genome g) => Family.Plan(g).MultiplyAccumulates / 1e6;

        var onehot = GenomePredictor.Create(Family, "ridge", "onehot");
        onehot.Fit(train, [.. train.Select(Cost)]);
        var fcc = GenomePredictor.Create(Family, "ridge", "fcc");
        fcc.Fit(train, [.. train.Select(Cost)]);

        var actual = test.Select(Cost).ToList();
        var onehotTau = QualityMetrics.KendallTau(actual, onehot.Predict(test));
        var fccTau = QualityMetrics.KendallTau(actual, fcc.Predict(test));
        Assert.IsGreaterThan(0.85, onehotTau);
        Assert.IsGreaterThan(fccTau + 0.1, onehotTau, $"one-hot τ {onehotTau:F3}, FCC τ {fccTau:F3}");
    }
}
