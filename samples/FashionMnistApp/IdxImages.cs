using System.Buffers.Binary;
using System.IO.Compression;

namespace FashionMnistApp;

/// <summary>Images and labels in the IDX format of (Fashion-)MNIST, optionally gzip-compressed.</summary>
internal static class IdxImages
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Reads an idx3 image file: count × rows × columns unsigned bytes.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        var data = ReadAll(path);
        Expect(path, data, ImagesMagic, headerLength: 16);
        var count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(12));
        if (data.Length != 16 + ((long)count * rows * columns))
        {
            throw new InvalidDataException($"{path}: {count} images of {rows}×{columns} do not match the file's length.");
        }

        return (data[16..], count, rows, columns);
    }

    /// <summary>Reads an idx1 label file: one unsigned byte per image.</summary>
    public static byte[] ReadLabels(string path)
    {
        var data = ReadAll(path);
        Expect(path, data, LabelsMagic, headerLength: 8);
        var count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        if (data.Length != 8 + count)
        {
            throw new InvalidDataException($"{path}: {count} labels do not match the file's length.");
        }

        return data[8..];
    }

    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        using Stream source = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void Expect(string path, byte[] data, int magic, int headerLength)
    {
        if (data.Length < headerLength || BinaryPrimitives.ReadInt32BigEndian(data) != magic)
        {
            throw new InvalidDataException($"{path} is not an IDX file of the expected kind (magic 0x{magic:x8}).");
        }
    }
}
