using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Reporting.Tests;

[TestClass]
public sealed class ReportWriterTests
{
    private string _root = string.Empty;

    [TestInitialize]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "hwnas-report-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void Write_PutsEveryFileInTheFolderAndNothingBesideIt()
    {
        var folder = Path.Combine(_root, "out", "hwnas");

        var written = ReportWriter.CreateDefault().Write(SampleRuns.Feasible(), folder);

        CollectionAssert.AreEqual(
            new[] { "report.html", "report.md", "results.json", "pareto.csv" },
            written.Select(Path.GetFileName).ToArray());
        foreach (var path in written)
        {
            Assert.AreEqual(folder, Path.GetDirectoryName(path));
            Assert.IsTrue(new FileInfo(path).Length > 100, path);
        }

        CollectionAssert.AreEquivalent(new[] { "hwnas" }, Directory.GetFileSystemEntries(Path.Combine(_root, "out")).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void Write_NamesTheFileOfAnExporterThatThrows()
    {
        var failing = new ReportWriter([new HtmlReportExporter(), new MarkdownReportExporter(), new FailingExporter()]);

        var error = Assert.ThrowsExactly<HwNasException>(() => failing.Write(SampleRuns.NoFeasible(), Path.Combine(_root, "hwnas")));

        StringAssert.Contains(error.Message, "results.json");
        Assert.IsInstanceOfType<IOException>(error.InnerException);
    }

    [TestMethod]
    public void Write_ReplacesOldOutputsWithNewOnes()
    {
        var folder = Path.Combine(_root, "hwnas");
        ReportWriter.CreateDefault().Write(SampleRuns.Feasible(), folder);

        ReportWriter.CreateDefault().Write(SampleRuns.NoFeasible(), folder);

        StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "results.json")), "\"noFeasibleModel\"");
    }

    [TestMethod]
    public void Constructor_RejectsClashingOrPathFileNames()
    {
        Assert.ThrowsExactly<HwNasException>(() => new ReportWriter([new JsonResultsExporter(), new JsonResultsExporter()]));
        Assert.ThrowsExactly<HwNasException>(() => new ReportWriter([new FailingExporter("../escape.json")]));
    }

    /// <summary>Writes part of its output, then fails, as a crashing exporter would.</summary>
    private sealed class FailingExporter(string fileName = "results.json") : IReportExporter
    {
        public string Name => "failing";

        public string FileName => fileName;

        public void Write(RunSummary summary, Stream output)
        {
            output.Write("{\"schemaVersion\":"u8);
            throw new IOException("disk full");
        }
    }
}
