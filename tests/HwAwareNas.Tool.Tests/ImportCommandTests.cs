using System.Text.Json;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Tool.Tests;

[TestClass]
public sealed class ImportCommandTests
{
    // A narrow 28×28 network keeps the test to seconds; the full-size route (3×224×224, 1000 classes) is the same code.
    private static readonly string[] Network =
        ["--family", "mobilenetv3", "--settings", "preset=small,width=0.25,ks=3/5,e=2/4,d=1/2", "--input", "1x28x28", "--classes", "10", "--mean", "0.5", "--std", "0.25"];

    [TestMethod]
    public void RandomWeightsAreSeededAndProfileWithoutTheDataset()
    {
        using var folder = new TempFolder();
        string Import(string from, string name)
        {
            var output = Path.Combine(folder.Path, name);
            var result = Cli.Run(["import", "--from", from, .. Network, "-o", output]);
            Assert.AreEqual(0, result.ExitCode, result.ToString());
            StringAssert.Contains(result.Out, "random weights: for latency, not accuracy");
            return output;
        }

        var first = Import("random:3", "first.ckpt");
        var again = Import("random:3", "again.ckpt");
        var other = Import("random:4", "other.ckpt");
        CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(again), "the same seed writes the same weights");
        CollectionAssert.AreNotEqual(File.ReadAllBytes(first), File.ReadAllBytes(other));
        using (var record = JsonDocument.Parse(File.ReadAllText(first + ".json")))
        {
            Assert.AreEqual("random weights, seed 3", record.RootElement.GetProperty("imported_from").GetString());
        }

        // The dataset named here does not exist: profile measures latency only and must not read it.
        var config = folder.Write("hwnas.yaml", """
            supernet:
              family: mobilenetv3
              checkpoint: first.ckpt
              input: [1, 28, 28]
              classes: 10
              settings:
                preset: small
                width: 0.25
                ks: [3, 5]
                e: [2, 4]
                d: [1, 2]
            dataset:
              format: folder
              train: absent/train
              val: absent/val
            device:
              name: test-cpu
              threads: 1
              batch: 1
              measure:
                warmup: 1
                runs: 5
                rounds: 1
                reference_models: 0
            """);
        var profile = Cli.Run("profile", "--config", config, "--genomes", "3");

        Assert.AreEqual(0, profile.ExitCode, profile.ToString());
        StringAssert.Matches(profile.Out, new Regex(@"^latency \d+\.\d{3} to \d+\.\d{3} ms \(\d+\.\d{2}x\): fastest \d+ MACs \{.*\}; slowest \d+ MACs \{.*\}$", RegexOptions.Multiline));
        StringAssert.Contains(profile.Out, "3 sub-networks (3 measured now); Spearman rho(MACs, latency) = ");
    }

    [TestMethod]
    public void RandomWithoutAWholeNumberSeedIsABadArgument()
    {
        using var folder = new TempFolder();

        var result = Cli.Run(["import", "--from", "random:one", .. Network, "-o", Path.Combine(folder.Path, "x.ckpt")]);

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error + result.Out, "random:SEED");
        Assert.IsFalse(File.Exists(Path.Combine(folder.Path, "x.ckpt")));
    }
}
