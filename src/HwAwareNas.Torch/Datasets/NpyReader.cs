using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Torch.Datasets;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1–3, C order, little-endian): images as uint8 (scaled by 1/255) or
/// float32 (taken as they are, expected in [0, 1]), shaped <c>N×H×W</c>, <c>N×H×W×C</c> or <c>N×C×H×W</c> (C ≤ 4,
/// channels-last when the last dimension could be channels);
/// labels as a 1-D integer array.
/// </summary>
internal static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads images and labels into a dataset with classes <c>0..classes-1</c> (null: largest label + 1).</summary>
    public static ImageDataset Read(string imagesPath, string labelsPath, int? classes = null)
    {
        var images = ReadArray(imagesPath);
        var labelArray = ReadArray(labelsPath);
        if (labelArray.Shape.Length != 1)
        {
            throw new HwNasException($"NPY labels file {labelsPath} must be 1-D, not shaped ({string.Join(", ", labelArray.Shape)}).", ExitCode.MissingInput);
        }

        var (shape, pixels) = ToImages(images, imagesPath);
        var count = images.Shape[0];
        if (count != labelArray.Shape[0])
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"{imagesPath} holds {count} images but {labelsPath} holds {labelArray.Shape[0]} labels: the files do not belong together."),
                ExitCode.MissingInput);
        }

        var labels = labelArray.ToIntegers(labelsPath);
        var classCount = classes ?? (labels.Length == 0 ? 1 : labels.Max() + 1);
        var names = Enumerable.Range(0, classCount).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new ImageDataset(shape, pixels, labels, names);
    }

    /// <summary>Reads one array: its element type (NumPy <c>descr</c>), shape and raw little-endian data.</summary>
    public static NpyArray ReadArray(string path)
    {
        var bytes = DataFile.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new HwNasException($"{path} is not a .npy file: it does not start with the NumPy magic string.", ExitCode.MissingInput);
        }

        var major = bytes[6];
        var (headerLength, headerStart) = major switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2)), 10),
            2 or 3 when bytes.Length >= 12 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4)), 12),
            _ => throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $".npy file {path} has unsupported format version {major}."), ExitCode.MissingInput),
        };
        if (bytes.Length < headerStart + headerLength)
        {
            throw new HwNasException($".npy file {path} is truncated: its header is incomplete.", ExitCode.MissingInput);
        }

        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !shapeMatch.Success)
        {
            throw new HwNasException($".npy file {path} has a header without 'descr' or 'shape': {header.Trim()}", ExitCode.MissingInput);
        }

        if (FortranPattern().IsMatch(header))
        {
            throw new HwNasException($".npy file {path} is in Fortran order: save it in C order (np.ascontiguousarray).", ExitCode.MissingInput);
        }

        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
        var array = new NpyArray(descr.Groups[1].Value, shape, bytes[(headerStart + headerLength)..]);
        var expected = shape.Aggregate(1L, (a, d) => a * d) * array.ElementSize(path);
        if (array.Data.Length != expected)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $".npy file {path} is truncated or corrupt: shape ({string.Join(", ", shape)}) needs {expected} bytes of data but it holds {array.Data.Length}."),
                ExitCode.MissingInput);
        }

        return array;
    }

    private static (FeatureShape Shape, float[] Pixels) ToImages(NpyArray array, string path)
    {
        var s = array.Shape;
        var values = array.ToFloats(path);
        switch (s.Length)
        {
            case 3:
                return (new FeatureShape(1, s[1], s[2]), values);
            // NumPy images are usually channels-last; a last dimension of at most 4 is taken as channels.
            case 4 when s[3] <= 4:
                return (new FeatureShape(s[3], s[1], s[2]), ChannelsFirst(values, s[0], s[1], s[2], s[3]));
            case 4 when s[1] <= 4:
                return (new FeatureShape(s[1], s[2], s[3]), values);
            default:
                throw new HwNasException(
                    $".npy images file {path} is shaped ({string.Join(", ", s)}): expected N×H×W, N×C×H×W or N×H×W×C with at most 4 channels.",
                    ExitCode.MissingInput);
        }
    }

    private static float[] ChannelsFirst(float[] hwc, int n, int h, int w, int c)
    {
        var chw = new float[hwc.Length];
        var size = h * w * c;
        for (var i = 0; i < n; i++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    for (var k = 0; k < c; k++)
                    {
                        chw[(i * size) + (k * h * w) + (y * w) + x] = hwc[(i * size) + (((y * w) + x) * c) + k];
                    }
                }
            }
        }

        return chw;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}

/// <summary>A raw NumPy array: element type as NumPy's <c>descr</c> (e.g. <c>&lt;f4</c>, <c>|u1</c>), shape and data bytes.</summary>
/// <param name="Descr">NumPy type descriptor.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Data">Little-endian element bytes in C order.</param>
internal sealed record NpyArray(string Descr, int[] Shape, byte[] Data)
{
    /// <summary>Bytes per element; throws <see cref="HwNasException"/> for an unsupported type.</summary>
    public int ElementSize(string path) => Descr switch
    {
        "|u1" or "<u1" or "|i1" or "<i1" => 1,
        "<f4" or "<i4" or "<u4" => 4,
        "<i8" or "<u8" => 8,
        _ => throw new HwNasException(
            $".npy file {path} has element type '{Descr}': supported are uint8, int8, float32, int32, uint32, int64 and uint64 (little-endian).",
            ExitCode.MissingInput),
    };

    /// <summary>The elements as floats: uint8 scaled to [0, 1], float32 unchanged.</summary>
    public float[] ToFloats(string path)
    {
        var values = new float[Data.Length / ElementSize(path)];
        switch (Descr)
        {
            case "|u1" or "<u1":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Data[i] / 255f;
                }

                break;
            case "<f4":
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(i * 4, 4));
                }

                break;
            default:
                throw new HwNasException($".npy images file {path} has element type '{Descr}': images must be uint8 or float32.", ExitCode.MissingInput);
        }

        return values;
    }

    /// <summary>The elements as integers (for labels).</summary>
    public int[] ToIntegers(string path)
    {
        var size = ElementSize(path);
        var values = new int[Data.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var span = Data.AsSpan(i * size, size);
            values[i] = Descr switch
            {
                "|u1" or "<u1" => span[0],
                "|i1" or "<i1" => (sbyte)span[0],
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(span),
                "<u4" => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span)),
                "<i8" => checked((int)BinaryPrimitives.ReadInt64LittleEndian(span)),
                "<u8" => checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span)),
                _ => throw new HwNasException($".npy labels file {path} has element type '{Descr}': labels must be integers.", ExitCode.MissingInput),
            };
        }

        return values;
    }
}
