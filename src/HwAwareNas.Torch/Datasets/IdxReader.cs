using System.Buffers.Binary;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Torch.Datasets;

/// <summary>
/// Reads IDX files (MNIST, Fashion-MNIST), raw or gzip: a big-endian header of two zero bytes, a type byte (0x08 =
/// unsigned byte), the number of dimensions and each dimension, then the data.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>
    /// Reads images (<c>N×H×W</c>, grey) and their labels (<c>N</c>) into a dataset whose classes are the labels
    /// <c>0..classes-1</c>, named by number; <paramref name="classes"/> null takes the largest label + 1.
    /// </summary>
    public static ImageDataset Read(string imagesPath, string labelsPath, int? classes = null)
    {
        var (imageDims, imageBytes) = ReadArray(imagesPath);
        if (imageDims.Length != 3)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"IDX images file {imagesPath} has {imageDims.Length} dimensions: expected 3 (count, height, width)."),
                ExitCode.MissingInput);
        }

        var (labelDims, labelBytes) = ReadArray(labelsPath);
        if (labelDims.Length != 1)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"IDX labels file {labelsPath} has {labelDims.Length} dimensions: expected 1 (count)."),
                ExitCode.MissingInput);
        }

        if (imageDims[0] != labelDims[0])
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"{imagesPath} holds {imageDims[0]} images but {labelsPath} holds {labelDims[0]} labels: the files do not belong together."),
                ExitCode.MissingInput);
        }

        var pixels = new float[imageBytes.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = imageBytes[i] / 255f;
        }

        var labels = labelBytes.Select(b => (int)b).ToArray();
        var classCount = classes ?? (labels.Length == 0 ? 1 : labels.Max() + 1);
        var names = Enumerable.Range(0, classCount).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new ImageDataset(new FeatureShape(1, imageDims[1], imageDims[2]), pixels, labels, names);
    }

    /// <summary>Reads one unsigned-byte IDX array: its dimensions and its data.</summary>
    public static (int[] Dimensions, byte[] Data) ReadArray(string path)
    {
        var bytes = DataFile.ReadAllBytes(path);
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new HwNasException($"{path} is not an IDX file: it does not start with the IDX magic number (00 00 type dims).", ExitCode.MissingInput);
        }

        if (bytes[2] != UnsignedByteType)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"IDX file {path} has element type 0x{bytes[2]:x2}: only unsigned bytes (0x08) are supported."),
                ExitCode.MissingInput);
        }

        var rank = bytes[3];
        var headerLength = 4 + (4 * rank);
        if (rank == 0 || bytes.Length < headerLength)
        {
            throw new HwNasException($"IDX file {path} is truncated or corrupt: its header is incomplete.", ExitCode.MissingInput);
        }

        var dims = new int[rank];
        long expected = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * d), 4));
            if (size < 0)
            {
                throw new HwNasException($"IDX file {path} is corrupt: dimension {d} is negative.", ExitCode.MissingInput);
            }

            dims[d] = size;
            expected *= size;
        }

        var actual = bytes.Length - headerLength;
        if (actual != expected)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"IDX file {path} is truncated or corrupt: its header announces {expected} values ({string.Join('×', dims)}) but it holds {actual}."),
                ExitCode.MissingInput);
        }

        return (dims, bytes[headerLength..]);
    }
}
