using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Torch.Datasets;

/// <summary>
/// Labelled images held in memory as pixels scaled to [0, 1], channel-major (C×H×W) per image. Normalisation is applied
/// when batches are made, so one dataset serves any normalisation.
/// </summary>
public sealed class ImageDataset
{
    private readonly float[] _pixels;
    private readonly int[] _labels;

    /// <summary>Creates a dataset; <paramref name="pixels"/> holds <c>labels.Length × C×H×W</c> values.</summary>
    public ImageDataset(FeatureShape shape, float[] pixels, int[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        var imageSize = shape.Channels * shape.Height * shape.Width;
        if (imageSize <= 0 || pixels.Length != (long)labels.Length * imageSize)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{pixels.Length} pixels do not make {labels.Length} images of {shape}."),
                nameof(pixels));
        }

        foreach (var label in labels)
        {
            if (label < 0 || label >= classNames.Count)
            {
                throw new HwNasException(
                    string.Create(CultureInfo.InvariantCulture, $"Label {label} is outside the {classNames.Count} classes of the dataset."),
                    ExitCode.BadConfig);
            }
        }

        Shape = shape;
        _pixels = pixels;
        _labels = labels;
        ClassNames = classNames;
    }

    /// <summary>Shape of one image.</summary>
    public FeatureShape Shape { get; }

    /// <summary>Number of values in one image.</summary>
    public int ImageSize => Shape.Channels * Shape.Height * Shape.Width;

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Class names by label index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The pixels of image <paramref name="index"/>, in [0, 1], channel-major.</summary>
    public ReadOnlySpan<float> Image(int index) => _pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The label of image <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>A dataset of the images at <paramref name="indices"/>, in that order.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new float[indices.Count * ImageSize];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = _labels[indices[i]];
        }

        return new ImageDataset(Shape, pixels, labels, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images (all of them when there are fewer).</summary>
    public ImageDataset Take(int count) =>
        count >= Count ? this : Subset([.. Enumerable.Range(0, Math.Max(0, count))]);

    /// <summary>Checks the images have the shape a network expects.</summary>
    public void RequireShape(FeatureShape expected, string source)
    {
        if (Shape != expected)
        {
            throw new HwNasException(
                $"The images of {source} are {Shape} (channels×height×width) but the super-network expects {expected}.",
                ExitCode.BadConfig);
        }
    }
}
