using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using HwAwareNas.Torch.Tests.Datasets;
using HwAwareNas.Torch.Training;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Elastic;

[TestClass]
public sealed class SupernetCheckpointTests
{
    private static readonly FamilyOptions Options = new(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("width=0.5,ks=3/5,e=2/4,d=1/2"));

    [TestMethod]
    public void WriteThenLoadRestoresWeightsAndStatistics()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("net.ckpt");
        var family = FamilyRegistry.Create("mobilenetv3", Options);
        using var scope = NewDisposeScope();
        using var original = new ElasticSupernet(family);
        original.train();
        using (no_grad())
        {
            // One training-mode pass moves the BatchNorm running statistics away from their initial values.
            original.call(randn(4, 1, 28, 28));
        }

        var written = Write(path, original);
        Assert.AreEqual(SupernetCheckpoint.HashOf(path), written.WeightsSha256);
        Assert.AreEqual(written.WeightsSha256, TrainingRecord.Read(path).WeightsSha256);
        Assert.IsEmpty(Directory.GetFiles(folder.Path, "*.tmp"));

        using var restored = new ElasticSupernet(family);
        var genome = family.Sample(new Random(1));
        original.SetActive(genome);
        restored.SetActive(genome);
        original.eval();
        restored.eval();
        var input = randn(2, 1, 28, 28);
        Assert.IsFalse(original.call(input).allclose(restored.call(input)));

        SupernetCheckpoint.LoadWeights(path, restored);
        Assert.IsTrue(original.call(input).eq(restored.call(input)).all().item<bool>());
    }

    [TestMethod]
    public void MissingWeightsOrRecordIsAMissingInput()
    {
        using var folder = new TemporaryFolder();
        using var supernet = new ElasticSupernet(FamilyRegistry.Create("mobilenetv3", Options));
        var absent = folder.File("absent.ckpt");

        var error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(absent, supernet));
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, absent);

        var path = folder.File("net.ckpt");
        Write(path, supernet);
        File.Delete(TrainingRecord.PathFor(path));
        error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, TrainingRecord.PathFor(path));
    }

    [TestMethod]
    public void CorruptTruncatedOrForeignFilesAreAMissingInput()
    {
        using var folder = new TemporaryFolder();
        using var supernet = new ElasticSupernet(FamilyRegistry.Create("mobilenetv3", Options));
        var path = folder.File("net.ckpt");
        var record = Write(path, supernet);
        var weights = File.ReadAllBytes(path);

        File.WriteAllText(path, "this is not a checkpoint");
        var foreign = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        Assert.AreEqual(ExitCode.MissingInput, foreign.ExitCode);
        StringAssert.Contains(foreign.Message, path);
        StringAssert.Contains(foreign.Message, "is corrupt or was replaced");

        File.WriteAllBytes(path, weights[..(weights.Length / 2)]);
        var truncated = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        Assert.AreEqual(ExitCode.MissingInput, truncated.ExitCode);
        StringAssert.Contains(truncated.Message, "is corrupt or was replaced");

        // A record re-hashed to a truncated file gets past the hash check; TorchSharp's parse must still refuse it.
        File.WriteAllText(TrainingRecord.PathFor(path), (record with { WeightsSha256 = SupernetCheckpoint.HashOf(path) }).ToJson());
        var unreadable = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        Assert.AreEqual(ExitCode.MissingInput, unreadable.ExitCode);
        StringAssert.Contains(unreadable.Message, $"Super-network checkpoint {path} is corrupt or does not match the layers");

        File.WriteAllBytes(path, [.. weights, 0]);
        File.WriteAllText(TrainingRecord.PathFor(path), (record with { WeightsSha256 = SupernetCheckpoint.HashOf(path) }).ToJson());
        var trailing = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        StringAssert.Contains(trailing.Message, "unexpected data after the weights");

        File.WriteAllBytes(path, weights);
        File.WriteAllText(TrainingRecord.PathFor(path), "{ \"family\": ");
        var corruptRecord = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, supernet));
        Assert.AreEqual(ExitCode.MissingInput, corruptRecord.ExitCode);
        StringAssert.Contains(corruptRecord.Message, TrainingRecord.PathFor(path));
        StringAssert.Contains(corruptRecord.Message, "corrupt");
    }

    [TestMethod]
    public void CheckpointOfAnotherFamilySettingsInputOrClassesIsABadConfig()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("net.ckpt");
        using (var trained = new ElasticSupernet(FamilyRegistry.Create("mobilenetv3", Options)))
        {
            Write(path, trained);
        }

        (string Family, FamilyOptions Options, string Difference)[] others =
        [
            ("resnet", Options with { Settings = FamilySettingsReader.Split("widths=16/16/16/16,stem=8") }, "family mobilenetv3 vs resnet"),
            ("mobilenetv3", Options with { Settings = FamilySettingsReader.Split("width=1.0,ks=3/5,e=2/4,d=1/2") }, "settings 'width=0.5,"),
            ("mobilenetv3", Options with { Input = new FeatureShape(1, 32, 32) }, "input 1x28x28 vs 1x32x32"),
            ("mobilenetv3", Options with { Classes = 5 }, "classes 10 vs 5"),
        ];
        foreach (var (name, options, difference) in others)
        {
            using var other = new ElasticSupernet(FamilyRegistry.Create(name, options));

            var error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, other));

            Assert.AreEqual(ExitCode.BadConfig, error.ExitCode, difference);
            StringAssert.Contains(error.Message, $"Super-network checkpoint {path} was trained for mobilenetv3");
            StringAssert.Contains(error.Message, difference);
        }
    }

    [TestMethod]
    public void WriteRefusesARecordOfAnotherNetwork()
    {
        using var folder = new TemporaryFolder();
        using var supernet = new ElasticSupernet(FamilyRegistry.Create("mobilenetv3", Options));
        using var optimizer = optim.SGD(supernet.parameters(), 0.1);
        var record = RecordFor(supernet.Family) with { Classes = 5 };

        var error = Assert.ThrowsExactly<ArgumentException>(() => SupernetCheckpoint.Write(folder.File("net.ckpt"), supernet, optimizer, record));

        StringAssert.Contains(error.Message, "classes 5 vs 10");
        Assert.IsEmpty(Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void CommittedSampleCheckpointLoadsIntoTheSampleConfigurationsNetwork()
    {
        var path = Path.Combine(RepositoryRoot(), "samples", "fashion-mnist", "models", "supernet.ckpt");
        var record = TrainingRecord.Read(path);

        // The network `dotnet hwnas export` builds from the record, and the one the sample's hwnas.yaml asks for
        // (mobilenetv3, preset small, width 0.5, 1x28x28, 10 classes).
        var fromRecord = FamilyRegistry.Create(
            record.Family, new FamilyOptions(new FeatureShape(record.Input[0], record.Input[1], record.Input[2]), record.Classes, FamilySettingsReader.Split(record.Settings)));
        var fromConfiguration = FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.5")));
        foreach (var family in new[] { fromRecord, fromConfiguration })
        {
            using var supernet = new ElasticSupernet(family);

            SupernetCheckpoint.LoadWeights(path, supernet);

            // Saving the loaded network reproduces the file byte for byte: every tensor was read, none left at its initial value.
            using var copy = new MemoryStream();
            using (var writer = new BinaryWriter(copy, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                supernet.save(writer);
            }

            copy.Position = 0;
            Assert.AreEqual(record.WeightsSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy)));
        }
    }

    private static TrainingRecord Write(string path, ElasticSupernet supernet)
    {
        using var optimizer = optim.SGD(supernet.parameters(), 0.1);
        return SupernetCheckpoint.Write(path, supernet, optimizer, RecordFor(supernet.Family));
    }

    private static TrainingRecord RecordFor(IElasticFamily family) => new()
    {
        Family = family.Family,
        Settings = family.SettingsText,
        Input = [family.Input.Channels, family.Input.Height, family.Input.Width],
        Classes = family.Classes,
        ClassNames = [.. Enumerable.Range(0, family.Classes).Select(label => label.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        Mean = [0.5],
        Std = [0.25],
        DatasetKey = "synthetic",
        Recipe = new TrainingOptions(),
    };

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HwAwareNas.Tool.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No HwAwareNas.Tool.sln above {AppContext.BaseDirectory}.");
    }
}
