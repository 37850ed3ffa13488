using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>
/// <c>hwnas optimize</c> end to end on a tiny trained super-network: real training, accuracy, ONNX export, ORT
/// latency, search, verification, selection and reports. Runs serially: the tests share one project and its store.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OptimizePipelineTests
{
    private static TinyProject? project;

    private static TinyProject Project => project ?? throw new InvalidOperationException("ClassInitialize did not run.");

    [ClassInitialize]
    public static void TrainTinySupernet(TestContext context)
    {
        project = new TinyProject();
        var training = Project.Train();
        Assert.AreEqual(0, training.ExitCode, training.ToString());
    }

    [ClassCleanup]
    public static void RemoveProject() => project?.Dispose();

    [TestMethod]
    public async Task OptimizeWritesEveryOutputAndASecondRunMeasuresNothingTwice()
    {
        var output = Path.Combine(Project.Folder, "out");
        var first = await RunAsync(new OptimizeRequest(Project.ConfigPath, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, first.Code, first.Log);
        foreach (var name in new[] { "model.onnx", "report.html", "report.md", "results.json", "pareto.csv", "inference_settings.json" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; wrote: {string.Join(", ", first.Facts!.Written)}");
        }

        Assert.IsTrue(first.Facts!.NewMeasurements > 0, "the first run measures latency");
        Assert.IsTrue(first.Facts.Trials >= 12, $"trials: {first.Facts.Trials}");
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))))
        {
            Assert.AreEqual(JsonValueKind.Object, results.RootElement.ValueKind);
        }

        using (var session = new InferenceSession(Path.Combine(output, "model.onnx")))
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var genome = metadata.Where(p => p.Key.Contains("genome", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).FirstOrDefault();
            Assert.IsNotNull(genome, string.Join(", ", metadata.Keys));
            StringAssert.Contains(genome, "ks", "the genome is written in OFA notation");
            Assert.IsTrue(metadata.ContainsKey("hwnas.latency_ms"));
            Assert.IsTrue(metadata.ContainsKey("hwnas.device_fingerprint"));
        }

        var second = await RunAsync(new OptimizeRequest(Project.ConfigPath, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, second.Code, second.Log);
        Assert.AreEqual(0, second.Facts!.NewMeasurements, "every latency comes from the store");
        Assert.IsTrue(second.Facts.ResumedTrials >= 12, $"the study is resumed: {second.Facts.ResumedTrials} trials");
        Assert.AreEqual(first.Facts.Selected!.Key, second.Facts.Selected!.Key);
    }

    [TestMethod]
    public async Task ImpossibleLatencyExitsFourWithTheReportAndNoModel()
    {
        var config = Project.WriteConfig("impossible.yaml", "latency_ms: 0.0001", "impossible", strategy: "random");
        var output = Path.Combine(Project.Folder, "impossible");

        var run = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.NoFeasibleModel, run.Code, run.Log);
        Assert.IsTrue(File.Exists(Path.Combine(output, "report.html")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "results.json")));
        Assert.IsFalse(File.Exists(Path.Combine(output, "model.onnx")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), "latency");
        StringAssert.Contains(run.Log, "no sub-network meets the constraints");
    }

    [TestMethod]
    public void MissingCheckpointExitsThreeAndWritesNothing()
    {
        using var empty = new TinyProject();

        var result = Cli.Run("optimize", empty.ConfigPath);

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "supernet.ckpt");
        CollectionAssert.AreEquivalent(new[] { "hwnas.yaml" }, Directory.GetFileSystemEntries(empty.Folder).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void ProfilePrintsATableAndAPositiveRankCorrelationBetweenMacsAndLatency()
    {
        // Eight sub-networks from smallest to largest: each takes more of its genes from the largest one.
        var family = FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.25,ks=3/5,e=2/4,d=1/2")));
        var smallest = family.Smallest();
        var largest = family.Largest();
        var lines = Enumerable.Range(0, 8).Select(k =>
        {
            var genome = smallest;
            for (var i = 0; i < smallest.Length * k / 7; i++)
            {
                genome = genome.With(i, largest[i]);
            }

            return family.ToOfaNotation(genome);
        });
        var file = Path.Combine(Project.Folder, "genomes.txt");
        File.WriteAllLines(file, lines);

        var table = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", file);
        var json = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", file, "--json");

        Assert.AreEqual(0, table.ExitCode, table.ToString());
        StringAssert.Contains(table.Out, "Spearman rho(MACs, latency)");
        StringAssert.Contains(table.Out, "trimmed ms");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var rows = document.RootElement.GetProperty("rows");
        Assert.AreEqual(8, rows.GetArrayLength());
        Assert.IsTrue(rows.EnumerateArray().All(r => r.GetProperty("from_store").GetBoolean()), "the second survey reads every latency from the store");
        var rho = document.RootElement.GetProperty("spearman_macs_latency").GetDouble();
        Assert.IsTrue(rho > 0, $"rho = {rho}{Environment.NewLine}{table.Out}");
    }

    [TestMethod]
    public void DurationsParseWithUnits()
    {
        Assert.AreEqual(TimeSpan.FromMinutes(10), Commands.OptimizeCommand.ParseDuration("10m"));
        Assert.AreEqual(TimeSpan.FromSeconds(90), Commands.OptimizeCommand.ParseDuration("90"));
        Assert.AreEqual(TimeSpan.FromHours(1.5), Commands.OptimizeCommand.ParseDuration("1.5h"));
        Assert.IsNull(Commands.OptimizeCommand.ParseDuration(null));
        Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => Commands.OptimizeCommand.ParseDuration("soon")).ExitCode);
    }

    private static async Task<PipelineRun> RunAsync(OptimizeRequest request)
    {
        var console = new CapturedConsole();
        var pipeline = new OptimizePipeline(console);
        var code = await pipeline.RunAsync(request, CancellationToken.None);
        return new PipelineRun(code, pipeline.LastRun, console.Output.ToString() + console.ErrorOutput);
    }

    private sealed record PipelineRun(ExitCode Code, OptimizeRunFacts? Facts, string Log);
}
