using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Datasets;

namespace HwAwareNas.Predictors.Tests;

[TestClass]
public sealed class DatasetTests
{
    private static readonly SyntheticSpace Space = SyntheticSpace.Small;

    // The loop refits per fold and round; the bootstrap ensemble only serves uncertainty, which it does not use.
    private static readonly PredictorOptions NoEnsemble = new() { EnsembleSize = 0 };

    [TestMethod]
    public void DepthBinsSpanTheSpacesDepths()
    {
        var bins = new DepthBins(Space, 5);

        Assert.AreEqual(6, bins.MinDepth);
        Assert.AreEqual(12, bins.MaxDepth);
        Assert.AreEqual(5, bins.Count);
        Assert.AreEqual((6, 7), bins.DepthRange(0));
        Assert.AreEqual((8, 8), bins.DepthRange(1));
        Assert.AreEqual((12, 12), bins.DepthRange(4));
        Assert.AreEqual(9, bins.TotalDepth(new Genome([.. Enumerable.Repeat(0, 24), 0, 1, 2])));
    }

    [TestMethod]
    public void BalancedSamplingCoversEveryDepthBinEvenly()
    {
        var sampler = new DepthBalancedSampler(Space, new DepthBins(Space, 5));

        var balanced = sampler.SampleBalanced(50, new Random(1)).GroupBy(sampler.Bins.BinOf).ToDictionary(g => g.Key, g => g.Count());
        var random = sampler.SampleRandom(50, new Random(1)).GroupBy(sampler.Bins.BinOf).ToDictionary(g => g.Key, g => g.Count());

        Assert.AreEqual(5, balanced.Count);
        Assert.IsTrue(balanced.Values.All(c => c == 10), string.Join(",", balanced));

        // Uniform sampling over-represents the middle: the shallowest depth needs every unit at its minimum (1/27).
        var randomMin = Enumerable.Range(0, 5).Min(b => random.GetValueOrDefault(b));
        Assert.IsLessThan(10, randomMin);
    }

    [TestMethod]
    public void SampledGenomesAreCanonical()
    {
        var sampler = new DepthBalancedSampler(Space, new DepthBins(Space, 5));

        foreach (var genome in sampler.SampleBalanced(20, new Random(2)))
        {
            Assert.AreEqual(Space.Canonicalize(genome), genome);
        }
    }

    [TestMethod]
    public async Task BuilderStopsAfterTheInitialSampleWhenEveryBinMeetsTheThreshold()
    {
        var builder = new EsmDatasetBuilder(Space, () => GenomePredictor.Create(Space, "ridge", options: NoEnsemble), new EsmDatasetOptions
        {
            InitialSamples = 60,
            ExtensionSamples = 20,
            Budget = 200,
            Threshold = 0.9,
        });

        var dataset = await builder.BuildAsync(Measure(_ => 0), TestContext.CancellationToken);

        Assert.IsTrue(dataset.Converged);
        Assert.HasCount(1, dataset.Rounds);
        Assert.HasCount(60, dataset.Genomes);
        Assert.AreEqual(60, dataset.Predictor.Metadata.TrainingSize);
    }

    [TestMethod]
    public async Task BuilderExtendsOnlyTheBinsUnderTheThreshold()
    {
        var bins = new DepthBins(Space, 5);

        // The deepest bin gets ±15% genome-dependent noise no predictor can learn, so only it misses ±10%.
        double Disturbance(Genome g) => bins.BinOf(g) == 4 ? 0.15 * (((g.Choices.Sum() % 2) * 2) - 1) : 0;
        var builder = new EsmDatasetBuilder(Space, () => GenomePredictor.Create(Space, "ridge", options: NoEnsemble), new EsmDatasetOptions
        {
            InitialSamples = 100,
            ExtensionSamples = 30,
            Budget = 190,
            Threshold = 0.8,
        });

        var dataset = await builder.BuildAsync(Measure(Disturbance), TestContext.CancellationToken);

        Assert.IsFalse(dataset.Converged);
        Assert.HasCount(4, dataset.Rounds);
        Assert.HasCount(190, dataset.Genomes);
        Assert.AreEqual(dataset.Genomes.Count, dataset.Genomes.Distinct().Count());
        var first = dataset.Rounds[0];
        CollectionAssert.AreEqual(new[] { true, true, true, true, false }, first.Bins.Select(b => b.MeetsThreshold).ToArray(), string.Join("; ", first.Bins));
        for (var r = 1; r < dataset.Rounds.Count; r++)
        {
            var failedBefore = dataset.Rounds[r - 1].Bins.Select(b => !b.MeetsThreshold).ToArray();
            var added = dataset.Rounds[r].Bins.Select(b => b.Added).ToArray();
            Assert.AreEqual(30, added.Sum());
            CollectionAssert.AreEqual(failedBefore, added.Select(a => a > 0).ToArray(), $"round {r}: {string.Join(",", added)}");
        }

        Assert.IsGreaterThanOrEqualTo(20 + 30, dataset.Rounds[^1].Bins[4].Samples);
    }

    [TestMethod]
    public async Task RandomModeDrawsUniformly()
    {
        var builder = new EsmDatasetBuilder(Space, () => GenomePredictor.Create(Space, "ridge", options: NoEnsemble), new EsmDatasetOptions
        {
            InitialSamples = 40,
            Budget = 40,
            Balanced = false,
        });

        var dataset = await builder.BuildAsync(Measure(_ => 0), TestContext.CancellationToken);

        Assert.HasCount(40, dataset.Genomes);
        Assert.HasCount(1, dataset.Rounds);
        CollectionAssert.AreNotEqual(new[] { 8, 8, 8, 8, 8 }, dataset.Rounds[0].Bins.Select(b => b.Samples).ToArray());
    }

    public TestContext TestContext { get; set; } = null!;

    private static Func<IReadOnlyList<Genome>, CancellationToken, Task<IReadOnlyList<double>>> Measure(Func<Genome, double> disturbance) =>
        (batch, _) => Task.FromResult<IReadOnlyList<double>>(
            [.. batch.Select(g => SyntheticData.Additive(Space, g) * (1 + disturbance(g)))]);
}
