using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.OfaBench.Tests;

[TestClass]
public sealed class OfaSearchLogsTests
{
    internal static readonly IElasticFamily Family = FamilyRegistry.Create(MobileNetV3Family.Name);

    internal static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ofa-logs");

    [TestMethod]
    public void A_row_gives_the_canonical_genome_and_top1_as_a_fraction()
    {
        const string text = "Sub-network,Date,Top-1 Acc (%)\n"
            + "\"{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], 'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}\",2022-11-01,75.448\n";

        var rows = OfaSearchLogs.ReadRows(text, Family, "test.csv");

        Assert.HasCount(1, rows);
        Assert.AreEqual(0.75448, rows[0].Accuracy, 1e-12);

        // Depths 2, 3, 2, 4, 3 leave blocks 2, 3, 7, 10, 11 and 19 unused: canonical form writes them as the first choice (k3, e3).
        Assert.AreEqual(
            "{\"ks\":[5,7,3,3,3,3,3,3,5,5,3,3,7,3,3,3,5,5,5,3],\"e\":[4,3,3,3,4,6,3,3,4,3,3,3,3,6,6,6,4,3,4,3],\"d\":[2,3,2,4,3]}",
            Family.ToOfaNotation(rows[0].Genome));
    }

    [TestMethod]
    public void Repeated_subnetworks_are_merged_with_their_mean_accuracy()
    {
        var logs = OfaSearchLogs.ReadFolder(Fixtures, Family);
        var rows = Directory.GetFiles(Fixtures, "*.csv").SelectMany(f => OfaSearchLogs.ReadRows(File.ReadAllText(f), Family, f)).ToList();

        Assert.HasCount(60, rows);
        Assert.HasCount(rows.Select(r => r.Genome).Distinct().Count(), logs);
        var repeated = logs.First(l => l.Repeats > 1);
        Assert.AreEqual(rows.Where(r => r.Genome.Equals(repeated.Genome)).Average(r => r.Accuracy), repeated.Accuracy, 1e-12);
        Assert.AreEqual(60, logs.Sum(l => l.Repeats));
    }

    [TestMethod]
    public void A_file_without_the_accuracy_column_is_rejected_with_its_name()
    {
        var error = Assert.Throws<HwNasException>(() => OfaSearchLogs.ReadRows("Sub-network,Date\n\"{}\",x\n", Family, "bad.csv"));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "bad.csv(1)");
        StringAssert.Contains(error.Message, "Top-1 Acc (%)");
    }

    [TestMethod]
    public void A_genome_with_a_value_outside_the_space_is_rejected_with_its_line()
    {
        const string text = "Sub-network,Top-1 Acc (%)\n\"{'ks': [9, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], 'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3]}\",70\n";

        var error = Assert.Throws<HwNasException>(() => OfaSearchLogs.ReadRows(text, Family, "bad.csv"));

        StringAssert.Contains(error.Message, "bad.csv(2)");
    }

    [TestMethod]
    public void A_dict_without_depths_is_rejected()
    {
        var error = Assert.Throws<HwNasException>(() => OfaSearchLogs.ParseGenome("{'ks': [3], 'e': [3]}", Family, "x.csv", 4));

        StringAssert.Contains(error.Message, "x.csv(4)");
        StringAssert.Contains(error.Message, "'d'");
    }
}
