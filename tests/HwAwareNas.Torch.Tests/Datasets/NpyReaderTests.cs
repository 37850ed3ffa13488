using System.Buffers.Binary;
using System.Text;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Datasets;

namespace HwAwareNas.Torch.Tests.Datasets;

[TestClass]
public sealed class NpyReaderTests
{
    [TestMethod]
    public void Uint8ImagesAndInt64LabelsRoundTrip()
    {
        using var folder = new TemporaryFolder();
        var pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 4)).ToArray();
        WriteNpy(folder.File("x.npy"), "|u1", [3, 4, 5], pixels);
        WriteNpy(folder.File("y.npy"), "<i8", [3], Longs(2, 0, 1));

        var data = NpyReader.Read(folder.File("x.npy"), folder.File("y.npy"), classes: 3);

        Assert.AreEqual(new FeatureShape(1, 4, 5), data.Shape);
        CollectionAssert.AreEqual(new[] { 2, 0, 1 }, Enumerable.Range(0, 3).Select(data.Label).ToArray());
        var expected = pixels.Select(p => p / 255f).ToArray();
        var actual = Enumerable.Range(0, 3).SelectMany(i => data.Image(i).ToArray()).ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Float32ChannelsLastImagesAreMadeChannelsFirst()
    {
        using var folder = new TemporaryFolder();
        // Two 2×2 RGB images; channel k of pixel (y, x) of image i holds i*100 + k*10 + y*2 + x.
        var values = new List<float>();
        for (var i = 0; i < 2; i++)
        {
            for (var y = 0; y < 2; y++)
            {
                for (var x = 0; x < 2; x++)
                {
                    for (var k = 0; k < 3; k++)
                    {
                        values.Add((i * 100) + (k * 10) + (y * 2) + x);
                    }
                }
            }
        }

        WriteNpy(folder.File("x.npy"), "<f4", [2, 2, 2, 3], Floats([.. values]));
        WriteNpy(folder.File("y.npy"), "|u1", [2], [1, 0]);

        var data = NpyReader.Read(folder.File("x.npy"), folder.File("y.npy"));

        Assert.AreEqual(new FeatureShape(3, 2, 2), data.Shape);
        CollectionAssert.AreEqual(
            new float[] { 100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123 }, data.Image(1).ToArray());
        Assert.AreEqual(2, data.ClassNames.Count);
    }

    [TestMethod]
    public void NotAnNpyFileIsAMissingInput()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("x.npy"), "just text");
        WriteNpy(folder.File("y.npy"), "|u1", [1], [0]);

        var error = Assert.ThrowsExactly<HwNasException>(() => NpyReader.Read(folder.File("x.npy"), folder.File("y.npy")));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
        StringAssert.Contains(error.Message, "NumPy magic");
    }

    [TestMethod]
    public void TruncatedDataAndCountMismatchAreClearErrors()
    {
        using var folder = new TemporaryFolder();
        WriteNpy(folder.File("short.npy"), "<f4", [2, 3, 3], new byte[(2 * 9 * 4) - 4]);
        WriteNpy(folder.File("x.npy"), "|u1", [2, 3, 3], new byte[18]);
        WriteNpy(folder.File("y.npy"), "<i4", [3], new byte[12]);

        var truncated = Assert.ThrowsExactly<HwNasException>(() => NpyReader.ReadArray(folder.File("short.npy")));
        var mismatch = Assert.ThrowsExactly<HwNasException>(() => NpyReader.Read(folder.File("x.npy"), folder.File("y.npy")));

        Assert.AreEqual(ExitCode.MissingInput, truncated.ExitCode);
        StringAssert.Contains(truncated.Message, "truncated");
        Assert.AreEqual(ExitCode.MissingInput, mismatch.ExitCode);
    }

    private static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private static byte[] Floats(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    // Writes a version-1.0 .npy file exactly as numpy.save lays it out (header padded to a multiple of 64 bytes).
    private static void WriteNpy(string path, string descr, int[] shape, byte[] data)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)padded.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(padded));
        stream.Write(data);
    }
}
