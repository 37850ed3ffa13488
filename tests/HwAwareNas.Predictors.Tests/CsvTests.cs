using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Text;
using HwAwareNas.Predictors.Data;

namespace HwAwareNas.Predictors.Tests;

[TestClass]
public sealed class CsvTests
{
    private static readonly SyntheticSpace Space = SyntheticSpace.Tiny;

    [TestMethod]
    public void TableWithQuotedJsonRoundTrips()
    {
        var genomes = SyntheticData.RandomGenomes(Space, 5, seed: 1);
        var table = new MetricTable(genomes, ["latency_ms", "accuracy"], new Dictionary<string, IReadOnlyList<double>>
        {
            ["latency_ms"] = [1.25, 0.1 + 0.2, 3, 4.5e-3, 1e10],
            ["accuracy"] = [0.9, double.NaN, 0.8, 0.7, 0.6],
        });
        using var writer = new StringWriter();

        MetricCsv.Write(writer, Space, table);
        var text = writer.ToString();
        var read = MetricCsv.Read(new StringReader(text), Space, "mem.csv");

        StringAssert.StartsWith(text, "genome,latency_ms,accuracy\r\n\"{\"\"ks\"\":[");
        CollectionAssert.AreEqual(genomes, read.Genomes.ToList());
        CollectionAssert.AreEqual(table.MetricNames.ToList(), read.MetricNames.ToList());
        CollectionAssert.AreEqual(table.Metrics["latency_ms"].ToList(), read.Metrics["latency_ms"].ToList());
        Assert.IsTrue(double.IsNaN(read.Metrics["accuracy"][1]));
        var (selected, values) = read.Select("accuracy");
        Assert.HasCount(4, selected);
        CollectionAssert.AreEqual(new[] { 0.9, 0.8, 0.7, 0.6 }, values.ToList());
    }

    [TestMethod]
    public void SingleMetricRowsAreWrittenAsGenomeAndName()
    {
        var genomes = SyntheticData.RandomGenomes(Space, 2, seed: 2);
        using var writer = new StringWriter();

        MetricCsv.Write(writer, Space, genomes, "latency_ms", [1.5, 2]);

        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(3, lines);
        Assert.AreEqual("genome,latency_ms", lines[0]);
        Assert.AreEqual(Rfc4180.Quote(Space.ToOfaNotation(genomes[0])) + ",1.5", lines[1]);
    }

    [TestMethod]
    public void HandWrittenFileWithGenomeColumnLastIsRead()
    {
        const string csv = "latency,genome\n1.5,\"{\"\"ks\"\":[3,5,3,5],\"\"e\"\":[3,3,6,6],\"\"d\"\":[1,2]}\"\n\n";

        var table = MetricCsv.Read(new StringReader(csv), Space, "hand.csv");

        Assert.HasCount(1, table.Genomes);
        CollectionAssert.AreEqual(new[] { 0, 1, 0, 1, 0, 0, 1, 1, 0, 1 }, table.Genomes[0].Choices.ToArray());
        Assert.AreEqual(1.5, table.Metrics["latency"][0]);
    }

    [TestMethod]
    [DataRow("latency\n1.5\n", 1, "genome")]
    [DataRow("genome,latency\n\"{\"\"ks\"\":[3,5,3,5],\"\"e\"\":[3,3,6,6],\"\"d\"\":[1,2]}\",fast\n", 2, "not a number")]
    [DataRow("genome,latency\n\"{}\",1\n", 2, "bad genome")]
    [DataRow("genome,latency\n\"{,1\n", 2, "not closed")]
    [DataRow("genome,latency\n1\n", 2, "expected 2 fields")]
    public void MalformedFilesNameTheLine(string csv, int line, string message)
    {
        var e = Assert.ThrowsExactly<HwNasException>(() => MetricCsv.Read(new StringReader(csv), Space, "bad.csv"));

        Assert.AreEqual(ExitCode.MissingInput, e.ExitCode);
        StringAssert.Contains(e.Message, $"bad.csv({line})");
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void FilesRoundTripAndAMissingFileIsAMissingInput()
    {
        var genomes = SyntheticData.RandomGenomes(Space, 3, seed: 3);
        var table = new MetricTable(genomes, ["latency_ms"], new Dictionary<string, IReadOnlyList<double>> { ["latency_ms"] = [1, 2, 3] });
        var path = Path.Combine(Path.GetTempPath(), $"hwnas-{Guid.NewGuid():N}.csv");
        try
        {
            MetricCsv.Write(path, Space, table);

            CollectionAssert.AreEqual(genomes, MetricCsv.Read(path, Space).Genomes.ToList());
        }
        finally
        {
            File.Delete(path);
        }

        var e = Assert.ThrowsExactly<HwNasException>(() => MetricCsv.Read(path, Space));
        Assert.AreEqual(ExitCode.MissingInput, e.ExitCode);
    }

    [TestMethod]
    public void UnknownMetricIsAConfigError()
    {
        var table = MetricCsv.Read(new StringReader("genome,latency\n"), Space, "empty.csv");

        var e = Assert.ThrowsExactly<HwNasException>(() => table.Select("energy"));
        Assert.AreEqual(ExitCode.BadConfig, e.ExitCode);
    }
}
