using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Tool.Predictors;
using HwAwareNas.Tool.Tests.Pipeline;

namespace HwAwareNas.Tool.Tests.Predictors;

/// <summary>
/// <c>predictors build --transfer-from</c>: a source device without enough stored latencies is a clear error, a stored
/// transferred predictor is refitted from the source's latencies when <c>optimize</c> loads it, and the whole route
/// (profile device A, build on device B from A, optimize on B) runs for real on the tiny super-network.
/// </summary>
[TestClass]
public sealed class PredictorsTransferTests
{
    private const string OtherDevice = """
        name: other-cpu
        provider: cpu
        intra_op_threads: 1
        inter_op_threads: 1
        batch: 4
        """;

    [TestMethod]
    public void Build_FromADeviceThatIsNeitherAProfileNorAStoredFingerprint_ExitsThree()
    {
        using var folder = MinimalProject();

        var run = Cli.Run("predictors", "build", "--config", Path.Combine(folder.Path, "hwnas.yaml"), "--transfer-from", "nosuch");

        Assert.AreEqual(ExitCode.MissingInput, run.Code, run.ToString());
        StringAssert.Contains(run.Error, "--transfer-from 'nosuch' names neither a device profile");
    }

    [TestMethod]
    public void Build_FromADeviceWithTooFewStoredLatencies_ExitsThreeAndSaysHowToMeasureThem()
    {
        using var folder = MinimalProject();
        folder.Write("devices/other.yaml", OtherDevice);
        var configPath = Path.Combine(folder.Path, "hwnas.yaml");
        var source = HwNasConfigLoader.Load(configPath, new ConfigLoadOptions { DeviceProfile = "other" });
        var family = source.Supernet.CreateFamily();
        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(configPath)))
        {
            SaveLatencies(store, OrtLatencyProfiler.CreateFingerprint(source.Device, source.Supernet.Input), family, TransferSource.MinimumSamples - 1, seed: 1);
        }

        var run = Cli.Run("predictors", "build", "--config", configPath, "--transfer-from", "other");

        Assert.AreEqual(ExitCode.MissingInput, run.Code, run.ToString());
        StringAssert.Contains(run.Error, $"holds {TransferSource.MinimumSamples - 1} usable latencies");
        StringAssert.Contains(run.Error, $"at least {TransferSource.MinimumSamples}");
        StringAssert.Contains(run.Error, "hwnas profile --device other");
    }

    [TestMethod]
    public void AStoredTransferredPredictor_IsRefittedOverTheSourcesStoredLatencies()
    {
        using var folder = MinimalProject();
        var configPath = Path.Combine(folder.Path, "hwnas.yaml");
        var family = HwNasConfigLoader.Load(configPath).Supernet.CreateFamily();
        var settings = LiveEvaluator.SettingsHashOf(family);
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(configPath));
        var sourceDevice = new DeviceFingerprint("test cpu", 2, 1, 1, "cpu", "1.0", "linux", 8, "1x28x28", "all", "fp32");
        var sourceGenomes = SaveLatencies(store, sourceDevice, family, 40, seed: 2);
        var targetGenomes = Distinct(family, 12, seed: 3).Except(sourceGenomes).Take(10).ToList();
        double TargetLatency(Genome g) => 0.05 + (3 * Macs(family, g));
        var transfer = new TransferSource("source", sourceDevice.Key, LatencyStatistic.TrimmedMean);
        store.SavePredictor(new StoredPredictorRecord(
            "target-device", family.Family, settings, LatencyProfilerOptions.LatencyMetric, "ridge", "onehot", 5,
            [.. targetGenomes.Select(g => new PredictorSample(g.Key, TargetLatency(g)))], [], 0.95, 0.02, true,
            JsonSerializer.Serialize(new { transfer = transfer.ToJson(40) }), DateTimeOffset.UtcNow));

        var built = BuiltLatencyPredictor.TryLoad(store, "target-device", family, SearchStrategy.Concurrent);

        Assert.IsNotNull(built);
        Assert.AreEqual(transfer, built.Transfer);
        Assert.AreEqual("ridge transferred from source", built.Summary.Name);
        StringAssert.Contains(built.Describe(), "built ridge transferred from source (onehot)");

        // The surrogate predicts what a transfer from the same source latencies, fitted on the same samples, predicts.
        var probe = Distinct(family, 30, seed: 4);
        using var surrogate = built.CreateSurrogate();
        surrogate.Fit([], []);
        var factory = PredictorComparison.CreateFactory();
        using var source = transfer.FitSource(store, family, "ridge", "onehot", new HwAwareNas.Predictors.PredictorOptions { Seed = 5 }, factory);
        using var expected = GenomePredictor.CreateTransfer(source, new HwAwareNas.Predictors.PredictorOptions { Seed = 5 }, factory);
        expected.Fit(targetGenomes, [.. targetGenomes.Select(TargetLatency)]);
        CollectionAssert.AreEqual(expected.Predict(probe), surrogate.Predict(probe).ToArray());

        // Without the source's latencies the transfer cannot be refitted, and optimize says why.
        store.MarkSuspect([.. store.ListMeasurements(sourceDevice.Key).Select(m => m.Key)]);
        var gone = Assert.ThrowsExactly<HwNasException>(() => BuiltLatencyPredictor.TryLoad(store, "target-device", family, SearchStrategy.Concurrent));
        Assert.AreEqual(ExitCode.MissingInput, gone.ExitCode);
    }

    [TestMethod]
    [DoNotParallelize]
    public void ProfileOnA_BuildOnBFromA_OptimizeOnBUsesTheTransferredPredictor()
    {
        using var project = new TinyProject();
        var training = project.Train();
        Assert.AreEqual(0, training.ExitCode, training.ToString());
        var config = project.WriteConfig("transfer.yaml", "latency_ms: 1000", "transfer", strategy: "concurrent");
        project.WriteDeviceProfile("a", intraOpThreads: 1);
        project.WriteDeviceProfile("b", intraOpThreads: 2);

        var profile = Cli.Run("profile", "--config", config, "--device", "a", "--genomes", "30");
        Assert.AreEqual(ExitCode.Success, profile.Code, profile.ToString());

        var build = Cli.Run(["predictors", "build", "--config", config, "--device", "b", "--transfer-from", "a", "--tau", "0", "--mape", "1000", "--holdout", "10", "--max-samples", "20"]);

        Assert.AreEqual(ExitCode.Success, build.Code, build.ToString());
        StringAssert.Contains(build.Out, "hwnas: transferring from a (");
        StringAssert.Contains(build.Out, "round 1: n 10, tau ");
        StringAssert.Contains(build.Out, "targets met after 10 samples");
        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(config)))
        {
            var target = HwNasConfigLoader.Load(config, new ConfigLoadOptions { DeviceProfile = "b" });
            var fingerprint = OrtLatencyProfiler.CreateFingerprint(target.Device, target.Supernet.Input).Key;
            var family = target.Supernet.CreateFamily();
            var stored = store.TryGetPredictor(fingerprint, family.Family, LiveEvaluator.SettingsHashOf(family), LatencyProfilerOptions.LatencyMetric);
            Assert.IsNotNull(stored);
            Assert.HasCount(10, stored.Samples);
            Assert.AreEqual("a", TransferSource.FromBuildJson(stored.BuildJson)?.Name);
        }

        var optimize = Cli.Run("optimize", config, "--device", "b");

        Assert.IsTrue(optimize.Code is ExitCode.Success or ExitCode.NoFeasibleModel, optimize.ToString());
        StringAssert.Contains(optimize.Out, "latency predictor: built ridge transferred from a (onehot)");
    }

    private static TempFolder MinimalProject()
    {
        var folder = new TempFolder();
        foreach (var file in new[] { "models/supernet.ckpt", "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz" })
        {
            folder.Write(file, string.Empty);
        }

        // The build checks only that the checkpoint and its record are there; the record must describe this super-network.
        var family = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(null)));
        folder.Write("models/supernet.ckpt.json", JsonSerializer.Serialize(new { family = "mobilenetv3", settings = family.SettingsText, input = new[] { 1, 28, 28 }, classes = 10 }));
        folder.Write("hwnas.yaml", TestConfigs.Minimal);
        return folder;
    }

    private static double Macs(IElasticFamily family, Genome genome) => family.Plan(genome).MultiplyAccumulates / 1e6;

    private static List<Genome> Distinct(IElasticFamily family, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count * 3).Select(_ => family.Canonicalize(family.Sample(random))).Distinct().Take(count)];
    }

    /// <summary>Stores <paramref name="count"/> latencies that follow the sub-networks' MACs under <paramref name="fingerprint"/>.</summary>
    private static List<Genome> SaveLatencies(ResultsStore store, DeviceFingerprint fingerprint, IElasticFamily family, int count, int seed)
    {
        store.SaveDevice(fingerprint);
        var genomes = Distinct(family, count, seed);
        foreach (var genome in genomes)
        {
            var key = new MeasurementKey(fingerprint.Key, family.Family, LiveEvaluator.SettingsHashOf(family), genome.Key, LatencyProfilerOptions.LatencyMetric);
            store.SaveMeasurement(new MeasurementRecord(
                key, MeasurementStatistics.FromSamples([0.02 + Macs(family, genome)], 0), 1, 1, 1, Suspect: false, DateTimeOffset.UtcNow));
        }

        return genomes;
    }
}
