using System.Buffers.Binary;
using System.IO.Compression;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Torch.Datasets;

namespace HwAwareNas.Torch.Tests.Datasets;

[TestClass]
public sealed class IdxReaderTests
{
    [TestMethod]
    public void ReadsTheFashionMnistTestSplit()
    {
        var data = IdxReader.Read(FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, classes: 10);

        Assert.AreEqual(10000, data.Count);
        Assert.AreEqual(new HwAwareNas.Core.Families.FeatureShape(1, 28, 28), data.Shape);
        // Fashion-MNIST's first test images are an ankle boot (9), a pullover (2) and two trousers (1).
        CollectionAssert.AreEqual(new[] { 9, 2, 1, 1 }, Enumerable.Range(0, 4).Select(data.Label).ToArray());
        var first = data.Image(0).ToArray();
        Assert.IsTrue(first.All(v => v is >= 0f and <= 1f));
        Assert.AreEqual(0f, first[0], "the top-left corner of the boot image is background");
        Assert.IsTrue(first.Max() > 0.9f, "the boot has bright pixels");
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).ToArray(), Enumerable.Range(0, data.Count).Select(data.Label).Distinct().ToArray());
    }

    [TestMethod]
    public void ReadsRawAndGzipFilesAlike()
    {
        using var folder = new TemporaryFolder();
        var raw = folder.File("images.idx");
        var (dims, data) = IdxReader.ReadArray(FashionMnistFiles.TestImages);
        WriteIdx(raw, [5, dims[1], dims[2]], data.AsSpan(0, 5 * 28 * 28).ToArray());

        var (rawDims, rawData) = IdxReader.ReadArray(raw);

        CollectionAssert.AreEqual(new[] { 5, 28, 28 }, rawDims);
        CollectionAssert.AreEqual(data.AsSpan(0, rawData.Length).ToArray(), rawData);
    }

    [TestMethod]
    public void TruncatedGzipIsAClearMissingInputError()
    {
        using var folder = new TemporaryFolder();
        var truncated = folder.File("t10k-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(FashionMnistFiles.TestImages);
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.ThrowsExactly<HwNasException>(() => IdxReader.ReadArray(truncated));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, truncated);
        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    public void WrongMagicNumberIsAClearMissingInputError()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("not-idx.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write("PK\u0003\u0004 this is a zip, not IDX"u8);
        }

        var error = Assert.ThrowsExactly<HwNasException>(() => IdxReader.ReadArray(path));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "magic number");
    }

    [TestMethod]
    public void DataShorterThanTheHeaderAnnouncesIsAnError()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("short.idx");
        WriteIdx(path, [3, 2, 2], new byte[11]);

        var error = Assert.ThrowsExactly<HwNasException>(() => IdxReader.ReadArray(path));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "announces 12 values");
    }

    [TestMethod]
    public void ImagesAndLabelsOfDifferentCountsAreACorruptInput()
    {
        using var folder = new TemporaryFolder();
        var labels = folder.File("labels.idx");
        WriteIdx(labels, [5], [0, 1, 2, 3, 4]);

        var error = Assert.ThrowsExactly<HwNasException>(() => IdxReader.Read(FashionMnistFiles.TestImages, labels));

        // The config is fine; the data files it names do not fit together: exit 3, like a truncated file.
        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "10000 images");
        StringAssert.Contains(error.Message, "5 labels");
    }

    [TestMethod]
    public void MissingFileIsAMissingInput()
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => IdxReader.ReadArray("/nonexistent/train-images-idx3-ubyte.gz"));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
    }

    internal static void WriteIdx(string path, int[] dims, byte[] data)
    {
        using var stream = File.Create(path);
        stream.Write([0, 0, 0x08, (byte)dims.Length]);
        Span<byte> size = stackalloc byte[4];
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(size, d);
            stream.Write(size);
        }

        stream.Write(data);
    }
}
