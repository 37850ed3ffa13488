using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Predictors.Transfer;

namespace HwAwareNas.Predictors.Tests;

[TestClass]
public sealed class TransferTests
{
    private static readonly SyntheticSpace Space = SyntheticSpace.Small;

    // Source-device measurements, the pool target samples are drawn from, and the held-out set: disjoint seeds.
    private static readonly List<Genome> SourceGenomes = SyntheticData.RandomGenomes(Space, 200, seed: 21);
    private static readonly List<Genome> TargetPool = SyntheticData.RandomGenomes(Space, 200, seed: 22);
    private static readonly List<Genome> HeldOut = SyntheticData.RandomGenomes(Space, 200, seed: 23);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TransferWithTenTargetSamplesBeatsAPredictorFromScratch()
    {
        using var source = FitSource();
        var actual = TargetDevice(HeldOut, seed: 31);
        var scratch = new List<PredictionQuality>();
        var transfer = new List<PredictionQuality>();
        foreach (var seed in Enumerable.Range(1, 5))
        {
            var (genomes, values) = DrawTargetSamples(10, seed);
            using var fresh = GenomePredictor.Create(Space, "ridge", options: new PredictorOptions { Seed = seed });
            fresh.Fit(genomes, values);
            scratch.Add(QualityMetrics.Evaluate(actual, fresh.Predict(HeldOut)));
            using var transferred = GenomePredictor.CreateTransfer(source, new PredictorOptions { Seed = seed });
            transferred.Fit(genomes, values);
            transfer.Add(QualityMetrics.Evaluate(actual, transferred.Predict(HeldOut)));
        }

        var (scratchTau, scratchMape) = (scratch.Average(q => q.KendallTau), scratch.Average(q => q.Mape));
        var (transferTau, transferMape) = (transfer.Average(q => q.KendallTau), transfer.Average(q => q.Mape));
        TestContext.WriteLine($"from scratch: tau {scratchTau:F3}, MAPE {scratchMape:P2}; transfer: tau {transferTau:F3}, MAPE {transferMape:P2}");
        Assert.IsGreaterThan(scratchTau + 0.15, transferTau);
        Assert.IsLessThan(0.5 * scratchMape, transferMape);
        Assert.IsTrue(transfer.All(t => t.KendallTau > scratch.Max(s => s.KendallTau)), "every seed's transfer ranks better than the best from scratch");
    }

    [TestMethod]
    public void FewSamplesGetNoResidualButATermTheSourceLacksGetsOne()
    {
        using var source = FitSource();

        // Fewer samples than a residual needs: the mapping alone.
        var (few, fewValues) = DrawTargetSamples(TransferPredictor.MinimumSamplesForResidual - 1, seed: 3);
        using var small = GenomePredictor.CreateTransfer(source);
        small.Fit(few, fewValues);
        Assert.IsNull(((TransferPredictor)small.Predictor).State!.ResidualAlpha);

        // Plenty of samples of a device with a large genome-dependent term the source lacks: the residual earns its place.
        var many = TargetPool[..120];
        var manyValues = Targets(many, g => TargetLatency(g) * (1 + (0.4 * KernelSevenShare(g))), seed: 4);
        using var large = GenomePredictor.CreateTransfer(source);
        large.Fit(many, manyValues);
        var state = ((TransferPredictor)large.Predictor).State!;
        TestContext.WriteLine(large.Metadata.Details);
        Assert.IsNotNull(state.ResidualAlpha);
        Assert.Contains(state.ResidualAlpha.Value, TransferPredictor.ResidualAlphaGrid);
    }

    [TestMethod]
    public void TheSameSeedAndSamplesGiveTheSamePredictions()
    {
        using var source = FitSource();
        var (genomes, values) = DrawTargetSamples(20, seed: 5);
        double[] FitAndPredict()
        {
            using var transfer = GenomePredictor.CreateTransfer(source, new PredictorOptions { Seed = 7 });
            transfer.Fit(genomes, values);
            return transfer.Predict(HeldOut);
        }

        CollectionAssert.AreEqual(FitAndPredict(), FitAndPredict());
    }

    [TestMethod]
    public void SaveAndLoadGiveIdenticalPredictionsAndMetadata()
    {
        using var source = FitSource();
        var (genomes, values) = DrawTargetSamples(30, seed: 6);
        using var transfer = GenomePredictor.CreateTransfer(source);
        transfer.Fit(genomes, values);

        using var saved = new MemoryStream();
        transfer.Save(saved);
        saved.Position = 0;
        using var loaded = GenomePredictor.Load(saved, Space);

        Assert.IsInstanceOfType<TransferPredictor>(loaded.Predictor);
        Assert.AreEqual(TransferPredictor.PredictorName, loaded.Metadata.Name);
        Assert.AreEqual(transfer.Metadata, loaded.Metadata);
        Assert.AreEqual("ridge", ((TransferPredictor)loaded.Predictor).Source.Name);
        CollectionAssert.AreEqual(transfer.Predict(HeldOut), loaded.Predict(HeldOut));
    }

    [TestMethod]
    public void TheMetadataCarriesTheLeaveOneOutQualityAndTheFittedMapping()
    {
        using var source = FitSource();
        var (genomes, values) = DrawTargetSamples(10, seed: 8);
        using var transfer = GenomePredictor.CreateTransfer(source);
        transfer.Fit(genomes, values);

        Assert.AreEqual(10, transfer.Metadata.TrainingSize);
        Assert.AreEqual(10, transfer.Metadata.CrossValidation!.Count);
        Assert.Contains("source ridge (onehot, 200 samples)", transfer.Metadata.Details);
    }

    [TestMethod]
    public void EachTransferOwnsACopyOfTheSource()
    {
        using var source = FitSource();
        var (genomes, values) = DrawTargetSamples(10, seed: 9);
        var before = source.Predict(HeldOut);
        using (var transfer = GenomePredictor.CreateTransfer(source))
        {
            transfer.Fit(genomes, values);
        }

        CollectionAssert.AreEqual(before, source.Predict(HeldOut));
    }

    [TestMethod]
    public void AnUnfittedSourceAndNonPositiveLatenciesAreRejected()
    {
        var factory = new PredictorFactory();
        using var unfitted = factory.Create("ridge", new PredictorOptions { Encoding = "onehot" });
        Assert.ThrowsExactly<ArgumentException>(() => factory.CreateTransfer(unfitted));

        using var source = FitSource();
        var (genomes, values) = DrawTargetSamples(5, seed: 10);
        values[2] = 0;
        using var transfer = GenomePredictor.CreateTransfer(source);
        Assert.ThrowsExactly<ArgumentException>(() => transfer.Fit(genomes, values));
    }

    /// <summary>Device A: the additive per-block latency, with 2 % noise.</summary>
    private static GenomePredictor FitSource()
    {
        var source = GenomePredictor.Create(Space, "ridge");
        source.Fit(SourceGenomes, Targets(SourceGenomes, g => SyntheticData.Additive(Space, g), seed: 24));
        return source;
    }

    /// <summary>
    /// Device B: a monotone but nonlinear function of device A (a convex power with a fixed overhead) plus a term A does
    /// not have (kernel-7 blocks cost relatively more, as on a device whose large depthwise kernels run poorly).
    /// </summary>
    private static double TargetLatency(Genome genome)
    {
        var a = SyntheticData.Additive(Space, genome);
        return (0.3 * Math.Pow(a, 1.6)) + 0.5 + (0.25 * KernelSevenShare(genome));
    }

    private static double KernelSevenShare(Genome genome)
    {
        var active = Enumerable.Range(0, Space.Blocks).Where(b => Space.IsActive(genome, b)).ToList();
        return (double)active.Count(b => genome[b] == 2) / active.Count;
    }

    private static double[] TargetDevice(IReadOnlyList<Genome> genomes, int seed) => Targets(genomes, TargetLatency, seed);

    private static (List<Genome> Genomes, double[] Values) DrawTargetSamples(int count, int seed)
    {
        var order = Enumerable.Range(0, TargetPool.Count).ToArray();
        new Random(seed).Shuffle(order);
        var genomes = order.Take(count).Select(i => TargetPool[i]).ToList();
        return (genomes, TargetDevice(genomes, seed + 100));
    }

    private static double[] Targets(IReadOnlyList<Genome> genomes, Func<Genome, double> latency, int seed)
    {
        var random = new Random(seed);
        return [.. genomes.Select(g => latency(g) * (1 + (0.02 * ((2 * random.NextDouble()) - 1))))];
    }
}
