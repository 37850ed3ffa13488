using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using SkiaSharp;

namespace HwAwareNas.Torch.Datasets;

/// <summary>
/// Reads a folder with one sub-folder of images per class (class names = sub-folder names, ordinal order), decoding
/// with SkiaSharp and resizing every image to the configured input; one channel means grey (ITU-R BT.601 luma).
/// </summary>
internal static class ImageFolderReader
{
    private static readonly HashSet<string> Extensions =
        new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp" };

    /// <summary>
    /// Reads every image under <paramref name="root"/>; <paramref name="classNames"/> fixes the class order (so a
    /// validation folder uses the training folder's labels), null takes the sub-folders found.
    /// </summary>
    public static ImageDataset Read(string root, FeatureShape input, IReadOnlyList<string>? classNames = null)
    {
        if (!Directory.Exists(root))
        {
            throw new HwNasException($"Image folder not found: {root}", ExitCode.MissingInput);
        }

        if (input.Channels is not (1 or 3))
        {
            throw new HwNasException($"Image folders can feed 1 (grey) or 3 (RGB) channels, not {input.Channels}.", ExitCode.BadConfig);
        }

        var found = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var names = classNames ?? found;
        if (names.Count == 0)
        {
            throw new HwNasException($"Image folder {root} has no class sub-folders.", ExitCode.MissingInput);
        }

        var unknown = found.Except(names, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new HwNasException($"Image folder {root} has classes the training data lacks: {string.Join(", ", unknown)}.", ExitCode.BadConfig);
        }

        var imageSize = input.Channels * input.Height * input.Width;
        var pixels = new List<float>();
        var labels = new List<int>();
        for (var label = 0; label < names.Count; label++)
        {
            var folder = Path.Combine(root, names[label]);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal))
            {
                var image = new float[imageSize];
                Decode(file, input, image);
                pixels.AddRange(image);
                labels.Add(label);
            }
        }

        if (labels.Count == 0)
        {
            throw new HwNasException($"Image folder {root} holds no images ({string.Join(", ", Extensions)}).", ExitCode.MissingInput);
        }

        return new ImageDataset(input, [.. pixels], [.. labels], names);
    }

    private static void Decode(string file, FeatureShape input, float[] target)
    {
        using var decoded = SKBitmap.Decode(file)
            ?? throw new HwNasException($"Cannot decode image {file}: the file is corrupt or not an image.", ExitCode.MissingInput);
        using var resized = decoded.Width == input.Width && decoded.Height == input.Height && decoded.ColorType == SKColorType.Rgba8888
            ? decoded.Copy()
            : decoded.Resize(new SKImageInfo(input.Width, input.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Nearest));
        var plane = input.Height * input.Width;
        for (var y = 0; y < input.Height; y++)
        {
            for (var x = 0; x < input.Width; x++)
            {
                var color = resized.GetPixel(x, y);
                var at = (y * input.Width) + x;
                if (input.Channels == 1)
                {
                    target[at] = ((0.299f * color.Red) + (0.587f * color.Green) + (0.114f * color.Blue)) / 255f;
                }
                else
                {
                    target[at] = color.Red / 255f;
                    target[plane + at] = color.Green / 255f;
                    target[(2 * plane) + at] = color.Blue / 255f;
                }
            }
        }
    }
}
