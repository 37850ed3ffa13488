using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Datasets;
using HwAwareNas.Predictors.Metrics;

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
    public async Task LoopStopsAfterTheInitialSampleWhenTheHeldOutScoresMeetTheTargets()
    {
        var rounds = new List<EsmRound>();
        var builder = Builder(new EsmDatasetOptions { InitialSamples = 60, ExtensionSamples = 20, MaxSamples = 200, HoldOutSamples = 50 });

        var dataset = await builder.BuildAsync(new Scripted(_ => 0), new SynchronousProgress<EsmRound>(rounds.Add), TestContext.CancellationToken);

        Assert.AreEqual(EsmStopReason.TargetsMet, dataset.StopReason);
        Assert.HasCount(1, dataset.Rounds);
        Assert.HasCount(1, rounds, "progress gets every round");
        Assert.HasCount(60, dataset.Genomes);
        Assert.HasCount(50, dataset.HoldOutGenomes);
        Assert.IsEmpty(dataset.Genomes.Intersect(dataset.HoldOutGenomes), "the held-out set is never trained on");
        Assert.IsGreaterThanOrEqualTo(0.9, dataset.Final.Quality.KendallTau);
        Assert.IsLessThanOrEqualTo(0.05, dataset.Final.Quality.Mape);
        Assert.AreEqual(60, dataset.Predictor.Metadata.TrainingSize);
        CollectionAssert.AreEqual(new[] { 10, 10, 10, 10, 10 }, dataset.Final.Bins.Select(b => b.HeldOut).ToArray());
    }

    [TestMethod]
    public async Task LoopStopsWhenTheSampleBudgetIsSpent()
    {
        // ±30% noise no predictor can learn: the MAPE target is out of reach, so only the budget stops the loop.
        var builder = Builder(new EsmDatasetOptions { InitialSamples = 40, ExtensionSamples = 25, MaxSamples = 100, HoldOutSamples = 30 });

        var dataset = await builder.BuildAsync(new Scripted(g => 0.3 * Sign(g)), null, TestContext.CancellationToken);

        Assert.AreEqual(EsmStopReason.BudgetSpent, dataset.StopReason);
        CollectionAssert.AreEqual(new[] { 40, 65, 90, 100 }, dataset.Rounds.Select(r => r.TotalSamples).ToArray(), "the last round takes what the budget leaves");
        Assert.HasCount(100, dataset.Genomes);
        Assert.HasCount(100, dataset.Genomes.Distinct());
        Assert.IsFalse(dataset.Rounds.Any(r => r.MeetsTargets));
    }

    [TestMethod]
    public async Task LoopExtendsOnlyTheBinThatMissesTheTargets()
    {
        var bins = new DepthBins(Space, 5);

        // The deepest bin gets ±5% genome-dependent noise no predictor can learn, so only it misses MAPE 4%, and the
        // overall τ misses 0.97.
        var builder = Builder(new EsmDatasetOptions
        {
            InitialSamples = 100, ExtensionSamples = 30, MaxSamples = 190, HoldOutSamples = 100, TargetMape = 0.04, TargetTau = 0.97,
        });

        var dataset = await builder.BuildAsync(new Scripted(g => bins.BinOf(g) == 4 ? 0.05 * Sign(g) : 0), null, TestContext.CancellationToken);

        Assert.AreEqual(EsmStopReason.BudgetSpent, dataset.StopReason);
        Assert.HasCount(4, dataset.Rounds);
        CollectionAssert.AreEqual(new[] { true, true, true, true, false }, dataset.Rounds[0].Bins.Select(b => b.MeetsTargets).ToArray(), string.Join("; ", dataset.Rounds[0].Bins));
        for (var r = 1; r < dataset.Rounds.Count; r++)
        {
            var added = dataset.Rounds[r].Bins.Select(b => b.Added).ToArray();
            CollectionAssert.AreEqual(new[] { 0, 0, 0, 0, 30 }, added, $"round {r + 1}: {string.Join("; ", dataset.Rounds[r - 1].Bins.Select(b => $"{b.Mape:F4}"))}");
        }

        Assert.AreEqual(20 + 90, dataset.Final.Bins[4].Samples);
    }

    [TestMethod]
    public void WorseBinsGetMoreOfTheNewSamples()
    {
        var builder = Builder(new EsmDatasetOptions { TargetMape = 0.05 });
        EsmBinReport Bin(int bin, double mape) => new(bin, bin, bin, 10, 0, 10, 0.5, mape, mape <= 0.05);

        // Bins 1 and 3 miss MAPE 5% (15% and 10%); bins 0, 2 and 4 meet it and get nothing, whatever their τ.
        var round = new EsmRound(1, 50, QualityMetrics.Evaluate([1, 2, 3], [3, 2, 1]), [Bin(0, 0.01), Bin(1, 0.15), Bin(2, 0.02), Bin(3, 0.10), Bin(4, 0.01)], false);

        CollectionAssert.AreEqual(new[] { 0, 12, 0, 8, 0 }, builder.Allocate(round, 20).ToArray());

        // When every bin meets it but the overall scores do not, every bin shares in proportion to its MAPE.
        var allMeet = round with { Bins = [Bin(0, 0.01), Bin(1, 0.01), Bin(2, 0.04), Bin(3, 0.01), Bin(4, 0.01)] };
        CollectionAssert.AreEqual(new[] { 3, 3, 10, 2, 2 }, builder.Allocate(allMeet, 20).ToArray());
    }

    [TestMethod]
    public async Task TheSameSeedRepeatsTheLoopAndRandomModeDrawsUniformly()
    {
        var options = new EsmDatasetOptions { InitialSamples = 40, ExtensionSamples = 20, MaxSamples = 80, HoldOutSamples = 20, Seed = 5 };
        var noisy = new Scripted(g => 0.2 * Sign(g));

        var first = await Builder(options).BuildAsync(noisy, null, TestContext.CancellationToken);
        var again = await Builder(options).BuildAsync(noisy, null, TestContext.CancellationToken);
        var random = await Builder(options with { Balanced = false, MaxSamples = 40 }).BuildAsync(noisy, null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(first.Genomes.ToArray(), again.Genomes.ToArray());
        CollectionAssert.AreEqual(first.HoldOutGenomes.ToArray(), random.HoldOutGenomes.ToArray(), "both modes are scored on the same balanced held-out set");
        CollectionAssert.AreEqual(new[] { 8, 8, 8, 8, 8 }, first.Rounds[0].Bins.Select(b => b.Samples).ToArray());
        CollectionAssert.AreNotEqual(new[] { 8, 8, 8, 8, 8 }, random.Rounds[0].Bins.Select(b => b.Samples).ToArray());
    }

    public TestContext TestContext { get; set; } = null!;

    private static EsmDatasetBuilder Builder(EsmDatasetOptions options) =>
        new(Space, () => GenomePredictor.Create(Space, "ridge", options: NoEnsemble), options);

    // A genome-dependent ±1 that an additive model cannot learn.
    private static int Sign(Genome genome) => ((genome.Choices.Sum() % 2) * 2) - 1;

    /// <summary>Measures the synthetic additive latency, disturbed per genome.</summary>
    private sealed class Scripted(Func<Genome, double> disturbance) : IGenomeMeasurement
    {
        public Task<IReadOnlyList<double>> MeasureAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<double>>([.. genomes.Select(g => SyntheticData.Additive(Space, g) * (1 + disturbance(g)))]);
    }

    /// <summary>Reports on the caller's thread, so the list is complete when the loop returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
