using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Datasets;

namespace HwAwareNas.Torch.Tests.Datasets;

[TestClass]
public sealed class DatasetSplitsTests
{
    private static readonly Lazy<ImageDataset> TestSplit =
        new(() => IdxReader.Read(FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, classes: 10));

    [TestMethod]
    public void SeededShuffleIsARepeatablePermutation()
    {
        var a = SeededShuffle.Permutation(1000, 7);
        var b = SeededShuffle.Permutation(1000, 7);
        var c = SeededShuffle.Permutation(1000, 8);

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 1000).ToArray(), a);
    }

    [TestMethod]
    public void NormalizationComputedFromTheDataMatchesItsMoments()
    {
        var shape = new FeatureShape(2, 1, 2);
        // Channel 0 holds 0 and 1 (mean 0.5, std 0.5); channel 1 is constant 0.25 (std falls back to 1).
        var data = new ImageDataset(shape, [0f, 1f, 0.25f, 0.25f, 1f, 0f, 0.25f, 0.25f], [0, 1], ["a", "b"]);

        var normalization = DatasetNormalization.Compute(data);

        Assert.AreEqual(0.5, normalization.Mean[0], 1e-9);
        Assert.AreEqual(0.5, normalization.Std[0], 1e-9);
        Assert.AreEqual(0.25, normalization.Mean[1], 1e-9);
        Assert.AreEqual(1.0, normalization.Std[1], 1e-9);
    }

    [TestMethod]
    public void ConfiguredNormalizationMustFitTheChannels()
    {
        var broadcast = DatasetNormalization.ForChannels([0.5], [0.25], 3);
        var error = Assert.ThrowsExactly<HwNasException>(() => DatasetNormalization.ForChannels([0.5, 0.5], [0.25], 3));

        CollectionAssert.AreEqual(new[] { 0.5, 0.5, 0.5 }, broadcast.Mean.ToArray());
        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
    }

    [TestMethod]
    public void SplitsHoldTheConfiguredCountsAndARepeatableCalibrationSample()
    {
        var train = TestSplit.Value.Take(3000);
        var validation = TestSplit.Value.Subset([.. Enumerable.Range(5000, 5000)]);

        var first = DatasetSplits.Create(train, validation, calibrationImages: 500, validationImages: 1200, seed: 3);
        var again = DatasetSplits.Create(train, validation, calibrationImages: 500, validationImages: 1200, seed: 3);
        var other = DatasetSplits.Create(train, validation, calibrationImages: 500, validationImages: 1200, seed: 4);

        Assert.AreEqual(3000, first.Train.Count);
        Assert.AreEqual(1200, first.Validation.Count);
        Assert.AreEqual(500, first.Calibration.Count);
        CollectionAssert.AreEqual(first.Calibration.Image(17).ToArray(), again.Calibration.Image(17).ToArray());
        CollectionAssert.AreNotEqual(first.Calibration.Image(17).ToArray(), other.Calibration.Image(17).ToArray());
        Assert.AreEqual(first.Key, again.Key);
        Assert.AreNotEqual(first.Key, other.Key);
        Assert.AreEqual(0.286, first.Normalization.Mean[0], 0.01, "Fashion-MNIST's pixel mean");
    }

    [TestMethod]
    public void LoadRejectsAClassCountThatDiffersFromTheNetwork()
    {
        var source = new DatasetSource(
            DatasetFormat.Idx, FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels);

        var error = Assert.ThrowsExactly<HwNasException>(
            () => DatasetSplits.Load(source, new FeatureShape(1, 28, 28), classes: 12, calibrationImages: 10, validationImages: 10));

        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
    }

    [TestMethod]
    public void BatchesAreNormalisedTensorsInTheRequestedOrder()
    {
        var data = TestSplit.Value.Take(10);
        var normalization = new DatasetNormalization([0.5], [0.25]);

        var batches = TensorBatches.Of(data, normalization, batchSize: 4).ToList();
        var dropped = TensorBatches.Of(data, normalization, batchSize: 4, dropLast: true).ToList();
        try
        {
            CollectionAssert.AreEqual(new[] { 4, 4, 2 }, batches.Select(b => b.Size).ToArray());
            Assert.AreEqual(2, dropped.Count);
            CollectionAssert.AreEqual(new long[] { 4, 1, 28, 28 }, batches[0].Images.shape);
            Assert.AreEqual(data.Label(5), (int)batches[1].Labels[1].item<long>());
            var pixel = data.Image(5)[14 * 28 + 14];
            Assert.AreEqual((pixel - 0.5f) / 0.25f, batches[1].Images[1, 0, 14, 14].item<float>(), 1e-5f);
        }
        finally
        {
            foreach (var batch in batches.Concat(dropped))
            {
                batch.Dispose();
            }
        }
    }

    [TestMethod]
    public void FlipMirrorsImagesHorizontally()
    {
        var data = TestSplit.Value.Take(1);
        var identity = new DatasetNormalization([0.0], [1.0]);

        using var plain = TensorBatches.Make(data, identity, [0]);
        using var mirrored = TensorBatches.Make(data, identity, [0], [true]);

        Assert.IsTrue(plain.Images.flip(3).eq(mirrored.Images).all().item<bool>());
        Assert.IsFalse(plain.Images.eq(mirrored.Images).all().item<bool>());
    }
}
