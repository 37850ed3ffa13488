using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Data;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Tool.Predictors;

namespace HwAwareNas.Tool.Tests.Predictors;

[TestClass]
public sealed class PredictorsCommandTests
{
    private const int Samples = 120;

    private static readonly string[] FamilyArgs = ["--family", "mobilenetv3", "--input", "1,28,28", "--classes", "10"];

    private static IElasticFamily CreateFamily() =>
        FamilyRegistry.Create("mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(null)));

    /// <summary>
    /// Writes <paramref name="count"/> random genomes whose latency_ms follows the sub-network's MACs (what real
    /// latency mostly follows) plus 1% multiplicative noise, and whose params column is their parameter count.
    /// </summary>
    private static string WriteSamples(TempFolder folder, string name, int count, int seed)
    {
        var family = CreateFamily();
        var random = new Random(seed);
        var genomes = new List<Genome>();
        var latency = new List<double>();
        var parameters = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var genome = family.Sample(random);
            var plan = family.Plan(genome);
            genomes.Add(genome);
            latency.Add((0.2 + (plan.MultiplyAccumulates / 1e6)) * (1 + (0.01 * ((2 * random.NextDouble()) - 1))));
            parameters.Add(plan.Parameters);
        }

        var path = Path.Combine(folder.Path, name);
        MetricCsv.Write(path, family, new MetricTable(genomes, ["latency_ms", "params"], new Dictionary<string, IReadOnlyList<double>>
        {
            ["latency_ms"] = latency,
            ["params"] = parameters,
        }));
        return path;
    }

    private static CliResult Run(params string[] args) => Cli.Run([.. args.Take(2), .. FamilyArgs, .. args.Skip(2)]);

    [TestMethod]
    public void Evaluate_ComparesEveryPredictorOnTheSameFolds_AndRidgeRanksMacDrivenLatency()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", Samples, seed: 11);

        var result = Run("predictors", "evaluate", "--data", data, "--metric", "latency_ms", "--predictors", "ridge,gbdt,lut", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("predictor").GetString()!);
        CollectionAssert.AreEquivalent(new[] { "ridge", "gbdt", "lut" }, rows.Keys.ToArray());
        foreach (var row in rows.Values)
        {
            Assert.AreEqual(Samples, row.GetProperty("n").GetInt32());
            Assert.AreEqual("onehot", row.GetProperty("encoding").GetString());
            Assert.IsTrue(double.IsFinite(row.GetProperty("mape").GetDouble()), row.ToString());
        }

        var ridgeTau = rows["ridge"].GetProperty("kendall_tau").GetDouble();
        Assert.IsGreaterThan(0.8, ridgeTau, $"ridge τ {ridgeTau}");
    }

    [TestMethod]
    public void Evaluate_PrintsATableWithEveryEncodingForAll()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 40, seed: 12);

        var result = Run("predictors", "evaluate", "--data", data, "--metric", "params", "--predictors", "ridge", "--encodings", "all", "--folds", "4");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var lines = result.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        StringAssert.StartsWith(lines[0], "predictor");
        StringAssert.Contains(lines[0], "kendall_tau");
        Assert.HasCount(1 + 4, lines, result.Out);
        foreach (var encoding in new[] { "integer", "onehot", "fc", "fcc" })
        {
            Assert.IsTrue(lines.Skip(1).Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == encoding), result.Out);
        }
    }

    [TestMethod]
    public void Evaluate_RunsTheSmallMlp()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 60, seed: 13);

        var result = Run("predictors", "evaluate", "--data", data, "--metric", "latency_ms", "--predictors", "mlp-small", "--folds", "3", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var row = json.RootElement.EnumerateArray().Single();
        Assert.AreEqual("mlp-small", row.GetProperty("predictor").GetString());
        Assert.IsGreaterThan(0.0, row.GetProperty("kendall_tau").GetDouble(), row.ToString());
        Assert.IsTrue(double.IsFinite(row.GetProperty("mape").GetDouble()), row.ToString());
    }

    [TestMethod]
    public void Fit_SavesAPredictorThatLoadsBack_AndPredictsUnseenGenomes()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", Samples, seed: 14);
        var unseen = WriteSamples(folder, "unseen.csv", 25, seed: 15);
        var model = Path.Combine(folder.Path, "latency.zip");
        var predictions = Path.Combine(folder.Path, "predictions.csv");

        var result = Run(
            "predictors", "fit", "--data", data, "--metric", "latency_ms", "--predictor", "ridge",
            "-o", model, "--predict", unseen, "--output", predictions);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out, "Fitted ridge (onehot) on 120 samples");
        var family = CreateFamily();
        var loaded = GenomePredictor.Load(model, family, PredictorComparison.CreateFactory());
        Assert.AreEqual("ridge", loaded.Metadata.Name);
        Assert.AreEqual(Samples, loaded.Metadata.TrainingSize);

        var written = MetricCsv.Read(predictions, family);
        var expected = MetricCsv.Read(unseen, family);
        CollectionAssert.AreEqual(new[] { "latency_ms" }, written.MetricNames.ToArray());
        Assert.HasCount(25, written.Genomes);
        var values = written.Metrics["latency_ms"];
        Assert.IsTrue(values.All(double.IsFinite));
        CollectionAssert.AreEqual(expected.Genomes.Select(family.ToOfaNotation).ToArray(), written.Genomes.Select(family.ToOfaNotation).ToArray());
        CollectionAssert.AreEqual(loaded.Predict(expected.Genomes), values.ToArray());
    }

    [TestMethod]
    public void Fit_Auto_PicksTheBestCrossValidatedPredictor_AndSavesBesideTheData()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 60, seed: 16);

        var result = Run("predictors", "fit", "--data", data, "--metric", "latency_ms", "--encodings", "onehot", "--folds", "3");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var rows = result.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .TakeWhile(l => !l.StartsWith("Fitted", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.HasCount(PredictorComparison.DefaultPredictors.Count, rows, result.Out);
        var best = rows.MaxBy(r => double.Parse(r[3], CultureInfo.InvariantCulture))![0];
        StringAssert.Contains(result.Out, $"Fitted {best} (onehot)");
        var saved = Path.Combine(folder.Path, ".hwnas", "predictors", "latency_ms-train.zip");
        Assert.IsTrue(File.Exists(saved), result.Out);
        Assert.AreEqual(best, GenomePredictor.Load(saved, CreateFamily(), PredictorComparison.CreateFactory()).Metadata.Name);
    }

    [TestMethod]
    public void Fit_FromTheResultsStore_UsesThisDevicesLatencies_AndSavesBesideTheStore()
    {
        using var folder = new TempFolder();
        foreach (var file in new[] { "models/supernet.ckpt", "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz" })
        {
            folder.Write(file, string.Empty);
        }

        var configPath = folder.Write("hwnas.yaml", TestConfigs.Minimal);
        var config = HwNasConfigLoader.Load(configPath);
        var family = CreateFamily();
        var fingerprint = OrtLatencyProfiler.CreateFingerprint(config.Device, config.Supernet.Input);
        var random = new Random(21);
        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(configPath)))
        {
            store.SaveDevice(fingerprint);
            var genomes = Enumerable.Range(0, 40).Select(_ => family.Canonicalize(family.Sample(random))).Distinct().ToList();
            foreach (var (genome, otherDevice) in genomes.Select(g => (g, false)).Append((genomes[0], true)))
            {
                var ms = family.Plan(genome).MultiplyAccumulates / 1e6;
                var key = new MeasurementKey(otherDevice ? "another-device" : fingerprint.Key, family.Family, LiveEvaluator.SettingsHashOf(family), genome.Key, "latency_ms");
                store.SaveMeasurement(new MeasurementRecord(key, MeasurementStatistics.FromSamples([ms], 0), 1, 1, 1, Suspect: false, DateTimeOffset.UtcNow));
            }

            Assert.HasCount(genomes.Count, store.ListMeasurements(fingerprint.Key, family.Family, LiveEvaluator.SettingsHashOf(family), "latency_ms"));
        }

        var result = Cli.Run("predictors", "fit", "--config", configPath, "--metric", "latency_ms", "--predictor", "ridge", "--folds", "4");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out, "Fitted ridge (onehot) on 40 samples");
        var saved = Path.Combine(folder.Path, ResultsStore.FolderName, "predictors", $"latency_ms-{fingerprint.Key}.zip");
        Assert.IsTrue(File.Exists(saved), result.Out);
        Assert.AreEqual(40, GenomePredictor.Load(saved, family, PredictorComparison.CreateFactory()).Metadata.TrainingSize);
    }

    [TestMethod]
    public void NeitherOrBothDataSources_ExitWithBadConfig()
    {
        var neither = Cli.Run("predictors", "evaluate", "--metric", "latency_ms");
        var both = Cli.Run("predictors", "evaluate", "--metric", "latency_ms", "--data", "train.csv", "--config", "hwnas.yaml");
        var noFamily = Cli.Run("predictors", "evaluate", "--metric", "latency_ms", "--data", "train.csv");

        Assert.AreEqual(ExitCode.BadConfig, neither.Code, neither.ToString());
        Assert.AreEqual(ExitCode.BadConfig, both.Code, both.ToString());
        StringAssert.Contains(both.Error, "not both");
        Assert.AreEqual(ExitCode.BadConfig, noFamily.Code, noFamily.ToString());
        StringAssert.Contains(noFamily.Error, "--family");
    }

    [TestMethod]
    public void MissingDataFile_ExitsWithMissingInput()
    {
        var result = Run("predictors", "evaluate", "--data", "/nonexistent/train.csv", "--metric", "latency_ms");

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "does not exist");
    }

    [TestMethod]
    public void UnknownMetricColumn_ExitsWithBadConfig_AndListsTheColumns()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 12, seed: 17);

        var result = Run("predictors", "evaluate", "--data", data, "--metric", "energy_mj", "--predictors", "ridge");

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "energy_mj");
        StringAssert.Contains(result.Error, "latency_ms, params");
    }

    [TestMethod]
    public void MalformedGenome_ExitsWithMissingInput_NamingTheCsvLine()
    {
        using var folder = new TempFolder();
        var good = File.ReadAllLines(WriteSamples(folder, "good.csv", 3, seed: 18));
        var data = folder.Write("bad.csv", string.Join("\n", good[0], good[1], "\"{\"\"ks\"\": [3,\",1.5,10", good[2]));

        var result = Run("predictors", "evaluate", "--data", data, "--metric", "latency_ms", "--predictors", "ridge");

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "bad.csv(3)");
        StringAssert.Contains(result.Error, "bad genome");
    }

    [TestMethod]
    public void TooFewSamplesForTheFolds_ExitsWithMissingInput()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 7, seed: 19);

        var result = Run("predictors", "fit", "--data", data, "--metric", "latency_ms", "--predictor", "ridge");

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "needs at least 10");
    }

    [TestMethod]
    public void UnknownPredictorOrHalfOfPredict_ExitsWithBadConfig()
    {
        using var folder = new TempFolder();
        var data = WriteSamples(folder, "train.csv", 12, seed: 20);

        var unknown = Run("predictors", "evaluate", "--data", data, "--metric", "latency_ms", "--predictors", "ridge,forest");
        var halfPredict = Run("predictors", "fit", "--data", data, "--metric", "latency_ms", "--predict", data);

        Assert.AreEqual(ExitCode.BadConfig, unknown.Code, unknown.ToString());
        StringAssert.Contains(unknown.Error, "forest");
        Assert.AreEqual(ExitCode.BadConfig, halfPredict.Code, halfPredict.ToString());
        StringAssert.Contains(halfPredict.Error, "--output");
    }
}
