using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Elastic;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Elastic;

[TestClass]
public sealed class SupernetCheckpointTests
{
    private static readonly FamilyOptions Options = new(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("width=0.5"));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void SaveThenLoadRestoresWeightsAndStatistics()
    {
        var path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}.ckpt");
        var family = FamilyRegistry.Create("mobilenetv3", Options);
        using var scope = NewDisposeScope();
        using var original = new ElasticSupernet(family);
        original.train();
        using (no_grad())
        {
            original.call(randn(4, 1, 28, 28));
        }

        SupernetCheckpoint.Save(original, path);
        using var restored = new ElasticSupernet(family);
        var genome = family.Sample(new Random(1));
        original.SetActive(genome);
        restored.SetActive(genome);
        original.eval();
        restored.eval();
        var input = randn(2, 1, 28, 28);
        Assert.IsFalse(original.call(input).allclose(restored.call(input)));

        SupernetCheckpoint.Load(restored, path);
        Assert.IsTrue(original.call(input).eq(restored.call(input)).all().item<bool>());
        File.Delete(path);
    }

    [TestMethod]
    public void LoadRejectsMissingCorruptAndMismatchedFiles()
    {
        var directory = TestContext.TestRunDirectory ?? Path.GetTempPath();
        var family = FamilyRegistry.Create("mobilenetv3", Options);
        using var supernet = new ElasticSupernet(family);

        var missing = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.Load(supernet, Path.Combine(directory, "absent.ckpt")));
        Assert.AreEqual(ExitCode.MissingInput, missing.ExitCode);

        var foreign = Path.Combine(directory, $"{Guid.NewGuid():N}.ckpt");
        File.WriteAllText(foreign, "this is not a checkpoint");
        var error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.Load(supernet, foreign));
        StringAssert.Contains(error.Message, "not a HwAwareNas super-network checkpoint");

        var good = Path.Combine(directory, $"{Guid.NewGuid():N}.ckpt");
        SupernetCheckpoint.Save(supernet, good);
        var truncated = Path.Combine(directory, $"{Guid.NewGuid():N}.ckpt");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.Load(supernet, truncated));
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "corrupt");

        var wider = FamilyRegistry.Create("mobilenetv3", Options with { Settings = FamilySettingsReader.Split("width=1.0") });
        using var other = new ElasticSupernet(wider);
        error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.Load(other, good));
        StringAssert.Contains(error.Message, "was saved for mobilenetv3");

        foreach (var file in new[] { foreign, good, truncated })
        {
            File.Delete(file);
        }
    }
}
