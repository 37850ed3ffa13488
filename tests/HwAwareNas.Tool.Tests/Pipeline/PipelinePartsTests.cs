using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Tool.Tests.Pipeline;

[TestClass]
public sealed class PipelinePartsTests
{
    private static readonly IElasticFamily Family = FamilyRegistry.Create(
        "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.25,ks=3/5,e=2/4,d=1/2")));

    [TestMethod]
    public void OutputFolderReplacesOutputsOnlyOnCommitAndDropsAStaleModel()
    {
        var root = Path.Combine(Path.GetTempPath(), "hwnas-out-" + Guid.NewGuid().ToString("N"));
        var target = Path.Combine(root, "out");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "model.onnx"), "old model");
        File.WriteAllText(Path.Combine(target, "report.md"), "old report");
        try
        {
            using (var abandoned = new OutputFolder(target))
            {
                File.WriteAllText(Path.Combine(abandoned.Staging, "report.md"), "half");
            }

            Assert.AreEqual("old report", File.ReadAllText(Path.Combine(target, "report.md")), "an uncommitted run leaves the old outputs");
            using (var run = new OutputFolder(target))
            {
                File.WriteAllText(Path.Combine(run.Staging, "report.md"), "new report");
                run.Commit(["model.onnx"]);
            }

            Assert.AreEqual("new report", File.ReadAllText(Path.Combine(target, "report.md")));
            Assert.IsFalse(File.Exists(Path.Combine(target, "model.onnx")), "a model the new run did not write is removed");
            CollectionAssert.AreEquivalent(new[] { "out" }, Directory.GetFileSystemEntries(root).Select(Path.GetFileName).ToArray(), "no staging folder is left");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void WarmStartFileReadsOfaLinesAndCsvGenomeColumns()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hwnas-warm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var genomes = new[] { Family.Smallest(), Family.Largest() };
            var lines = Path.Combine(folder, "front.txt");
            File.WriteAllLines(lines, ["# front", .. genomes.Select(Family.ToOfaNotation)]);
            var csv = Path.Combine(folder, "pareto.csv");
            File.WriteAllLines(csv, ["accuracy,genome", .. genomes.Select(g => $"0.5,\"{Family.ToOfaNotation(g).Replace("\"", "\"\"", StringComparison.Ordinal)}\"")]);

            CollectionAssert.AreEqual(genomes.Select(g => g.Key).ToArray(), WarmStartFile.Read(Family, lines).Select(g => g.Key).ToArray());
            CollectionAssert.AreEqual(genomes.Select(g => g.Key).ToArray(), WarmStartFile.Read(Family, csv).Select(g => g.Key).ToArray());
            File.WriteAllLines(csv, ["accuracy,latency", "0.5,1"]);
            Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => WarmStartFile.Read(Family, csv)).ExitCode);
            Assert.AreEqual(ExitCode.MissingInput, Assert.ThrowsExactly<HwNasException>(() => WarmStartFile.Read(Family, Path.Combine(folder, "none.txt"))).ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ProgressIsRewrittenInPlaceOnATerminalAndPlainLinesOtherwise()
    {
        var best = new EvaluatedCandidate(Family.Smallest(), [0.5, 1.25], EvaluationOrigin.Measured);
        var plain = new CapturedConsole();
        var terminal = new CapturedConsole();

        foreach (var (console, inPlace) in new[] { (plain, false), (terminal, true) })
        {
            var printer = new ProgressPrinter(console, inPlace) { Objectives = [Objective.Accuracy, Objective.Latency] };
            printer.Report(new SearchProgress("nsga2", 3, 12, best));
            printer.Report(new SearchProgress("nsga2", 6, 12, null));
            printer.EndLine();
        }

        var lines = plain.Output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(2, lines);
        StringAssert.Contains(lines[0], "nsga2 3/12 best: accuracy 50.00 %, latency 1.25 ms;");
        StringAssert.Contains(lines[1], "6/12");
        Assert.IsFalse(plain.Output.ToString().Contains('\r', StringComparison.Ordinal));
        Assert.AreEqual(2, terminal.Output.ToString().Count(c => c == '\r'));
    }

    [TestMethod]
    public void EveryConfiguredStrategyIsBuilt()
    {
        var defaults = new Core.Configuration.SearchOptions(
            Core.Configuration.SearchStrategy.Random, 6, 2, 5, 12, Core.Configuration.WarmStartMode.None, null,
            new Core.Configuration.PredictorOptions(Core.Configuration.PredictorKind.Ridge, Core.Configuration.PredictorKind.Auto), 0.9, 0, 1, null, false);
        var names = Enum.GetValues<Core.Configuration.SearchStrategy>()
            .Select(s => StrategyFactory.Create(defaults with { Strategy = s }, Family, [Family.Largest()]).Name)
            .ToArray();

        CollectionAssert.AreEqual(new[] { "random", "nsga2", "full", "warm-start", "concurrent" }, names);
        Assert.AreEqual(
            ExitCode.BadConfig,
            Assert.ThrowsExactly<HwNasException>(() => StrategyFactory.Create(defaults with { Population = 1 }, Family, null)).ExitCode);
    }
}
