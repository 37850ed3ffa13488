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
            using (var abandoned = OutputFolder.Open(target))
            {
                File.WriteAllText(Path.Combine(abandoned.Staging, "report.md"), "half");
            }

            Assert.AreEqual("old report", File.ReadAllText(Path.Combine(target, "report.md")), "an uncommitted run leaves the old outputs");
            using (var run = OutputFolder.Open(target))
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
    public void OutputFolderRemovesTheLeftoversOfKilledRunsButNotThoseInUseNorOthers()
    {
        var root = Path.Combine(Path.GetTempPath(), "hwnas-out-" + Guid.NewGuid().ToString("N"));
        var target = Path.Combine(root, "out");
        string Leftover(string name, bool withLock)
        {
            var folder = Path.Combine(root, name);
            Directory.CreateDirectory(Path.Combine(folder, "staging"));
            File.WriteAllText(Path.Combine(folder, "staging", "model.onnx"), "half-written");
            if (withLock)
            {
                File.WriteAllText(Path.Combine(folder, ".lock"), string.Empty);
            }

            return folder;
        }

        try
        {
            // A run killed while writing (its lock died with it), an older version's leftover without a lock, a run in
            // progress (holds its lock), a folder of this target not in our name pattern, and another target's leftover.
            var killed = Leftover($".out.tmp-{Guid.NewGuid():N}", withLock: true);
            var older = Leftover($".out.tmp-{Guid.NewGuid():N}", withLock: false);
            Directory.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddDays(-1));
            var running = Leftover($".out.tmp-{Guid.NewGuid():N}", withLock: true);
            var notOurs = Leftover(".out.tmp-mine", withLock: true);
            var otherTarget = Leftover($".other.tmp-{Guid.NewGuid():N}", withLock: true);
            using (new FileStream(Path.Combine(running, ".lock"), FileMode.Open, FileAccess.Write, FileShare.None))
            using (var run = OutputFolder.Open(target))
            {
                Assert.IsFalse(Directory.Exists(killed), "the killed run's folder is removed");
                Assert.IsFalse(Directory.Exists(older), "an unlocked folder older than this run is removed");
                Assert.IsTrue(Directory.Exists(running), "a folder whose run still holds its lock stays");
                Assert.IsTrue(Directory.Exists(notOurs));
                Assert.IsTrue(Directory.Exists(otherTarget));
                Assert.IsTrue(Directory.Exists(run.Staging));
            }

            using (OutputFolder.Open(target))
            {
                Assert.IsFalse(Directory.Exists(running), "once its run ended, the next run removes it");
            }

            CollectionAssert.AreEquivalent(
                new[] { Path.GetFileName(notOurs), Path.GetFileName(otherTarget) }, Directory.GetFileSystemEntries(root).Select(Path.GetFileName).ToArray());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void AnOutputFolderThatCannotBeWrittenIsRefusedNamingIt()
    {
        var root = Path.Combine(Path.GetTempPath(), "hwnas-out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            // A path under a regular file cannot be created by anyone, root included.
            var file = Path.Combine(root, "a-file");
            File.WriteAllText(file, "x");
            var underFile = Path.Combine(file, "out");

            var error = Assert.ThrowsExactly<HwNasException>(() => OutputFolder.Open(underFile));

            Assert.AreEqual(ExitCode.NotAccessible, error.ExitCode);
            StringAssert.Contains(error.Message, $"The output folder '{underFile}' cannot be written");
            Assert.AreEqual(ExitCode.NotAccessible, Assert.ThrowsExactly<HwNasException>(() => OutputFolder.Open(file)).ExitCode, "a file where the folder should be");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void WarmStartFileReadsOfaLinesAndCsvGenomeColumns()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
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

    [TestMethod]
    public void AMalformedGenomeInAFileIsLocatedAtItsLine()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        var lines = Path.Combine(folder, "genomes.txt");
        File.WriteAllLines(lines, ["# genomes", Family.ToOfaNotation(Family.Smallest()), string.Empty, "{\"ks\": oops}"]);
        var csv = Path.Combine(folder, "pareto.csv");
        File.WriteAllLines(csv, ["accuracy,genome", $"0.5,\"{Family.ToOfaNotation(Family.Largest()).Replace("\"", "\"\"", StringComparison.Ordinal)}\"", "0.4,\"{\"\"ks\"\":[1]}\""]);

        var line = Assert.ThrowsExactly<HwNasException>(() => WarmStartFile.Read(Family, lines, "--genomes"));
        var row = Assert.ThrowsExactly<HwNasException>(() => WarmStartFile.Read(Family, csv));

        Assert.AreEqual(ExitCode.BadConfig, line.ExitCode);
        StringAssert.StartsWith(line.Message, $"--genomes: {lines}:4: Invalid mobilenetv3 genome: not valid JSON at character 8");
        StringAssert.StartsWith(row.Message, $"search.warm_start: {csv}:3: Invalid mobilenetv3 genome: ");
    }

    [TestMethod]
    public void AShortCsvRowIsABadConfigurationLocatedAtItsLine()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        var csv = Path.Combine(folder, "pareto.csv");
        File.WriteAllLines(csv, ["accuracy,genome", $"0.5,\"{Family.ToOfaNotation(Family.Largest()).Replace("\"", "\"\"", StringComparison.Ordinal)}\"", "0.4"]);

        var row = Assert.ThrowsExactly<HwNasException>(() => WarmStartFile.Read(Family, csv));

        Assert.AreEqual(ExitCode.BadConfig, row.ExitCode);
        Assert.AreEqual($"search.warm_start: {csv}:3: expected 2 fields, found 1.", row.Message);
    }

    [TestMethod]
    public void TheFirstSignalIsAcknowledgedAndCancelsAndASecondIsLeftToStopTheProcess()
    {
        var console = new CapturedConsole();
        using var cancellation = new ConsoleCancellation(console, "finished work stays");

        Assert.IsTrue(cancellation.Request("SIGTERM"), "the first signal is handled");
        Assert.IsTrue(cancellation.Token.IsCancellationRequested);
        StringAssert.StartsWith(console.ErrorOutput.ToString(), "hwnas: SIGTERM: cancelling… finished work stays");
        Assert.IsFalse(cancellation.Request("Ctrl+C"), "the second takes its default action");
        Assert.HasCount(1, console.ErrorOutput.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
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
