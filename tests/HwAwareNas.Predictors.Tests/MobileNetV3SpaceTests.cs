using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Data;
using HwAwareNas.Predictors.Encodings;

namespace HwAwareNas.Predictors.Tests;

/// <summary>The encodings, sampler and CSV on the real elastic MobileNetV3 space (5 units, 20 blocks).</summary>
[TestClass]
public sealed class MobileNetV3SpaceTests
{
    private static readonly ISearchSpace Space = FamilyRegistry.Create("mobilenetv3");

    [TestMethod]
    public void EncodingSizesFollowTheSpacesStructure()
    {
        var kernels = Space.Genes.First(g => g.Group == "ks").Cardinality;
        var expands = Space.Genes.First(g => g.Group == "e").Cardinality;
        var units = Space.Genes.Where(g => g.Group == "d").Count();

        Assert.AreEqual(Space.Genes.Sum(g => g.Cardinality), new OneHotEncoding(Space).FeatureNames.Count);
        Assert.AreEqual(units * kernels * expands, new FccEncoding(Space).FeatureNames.Count);
        Assert.AreEqual(Space.Genes.Count, new IntegerEncoding(Space).FeatureNames.Count);
    }

    [TestMethod]
    public void FccCountsEveryActiveBlockOnce()
    {
        var sampler = new DepthBalancedSampler(Space, new DepthBins(Space, 5));
        var fcc = new FccEncoding(Space);

        foreach (var genome in sampler.SampleBalanced(25, new Random(3)))
        {
            Assert.AreEqual(sampler.Bins.TotalDepth(genome), (int)fcc.Encode(genome).Sum());
        }
    }

    [TestMethod]
    public void BalancedSamplesRoundTripThroughCsvAndFitARidge()
    {
        var sampler = new DepthBalancedSampler(Space, new DepthBins(Space, 5));
        var genomes = sampler.SampleBalanced(60, new Random(4));

        // Sum of kernel and expand over active blocks: linear in FCC, so ridge must rank it almost perfectly.
        var values = genomes.Select(g => Enumerable.Range(0, Space.Genes.Count)
            .Where(i => Space.Genes[i].Block >= 0 && Space.IsActive(g, i))
            .Sum(i => Space.Genes[i].Values[g[i]])).ToArray();
        using var writer = new StringWriter();

        MetricCsv.Write(writer, Space, genomes, "latency_ms", values);
        var (read, readValues) = MetricCsv.Read(new StringReader(writer.ToString()), Space, "mbv3.csv").Select("latency_ms");
        var predictor = GenomePredictor.Create(Space, "ridge", "fcc");
        predictor.Fit(read, readValues);

        CollectionAssert.AreEqual(genomes.ToList(), read.ToList());
        Assert.AreEqual(5, genomes.Select(sampler.Bins.BinOf).Distinct().Count());
        Assert.IsGreaterThan(0.95, predictor.Metadata.CrossValidation!.KendallTau);
    }
}
