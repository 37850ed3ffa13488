using TorchSharp;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Datasets;

/// <summary>One batch: normalised images <c>[B, C, H, W]</c> (float32) and labels <c>[B]</c> (int64). Dispose after use.</summary>
/// <param name="Images">Images.</param>
/// <param name="Labels">Labels.</param>
public sealed record TensorBatch(Tensor Images, Tensor Labels) : IDisposable
{
    /// <summary>Number of images.</summary>
    public int Size => (int)Labels.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Cuts a dataset into normalised tensor batches, in order or in a seeded random order.</summary>
public static class TensorBatches
{
    /// <summary>
    /// Batches of <paramref name="batchSize"/> images; <paramref name="shuffleSeed"/> null keeps the dataset order,
    /// <paramref name="dropLast"/> drops a final short batch (training keeps batch statistics comparable);
    /// <paramref name="flipSeed"/> non-null mirrors each image horizontally with probability 0.5 (augmentation).
    /// </summary>
    public static IEnumerable<TensorBatch> Of(
        ImageDataset dataset, DatasetNormalization normalization, int batchSize, int? shuffleSeed = null,
        bool dropLast = false, int? flipSeed = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = shuffleSeed is { } seed ? SeededShuffle.Permutation(dataset.Count, seed) : Enumerable.Range(0, dataset.Count).ToArray();
        var flips = flipSeed is { } f ? new Random(f) : null;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - start);
            if (size < batchSize && dropLast)
            {
                yield break;
            }

            var indices = order.AsSpan(start, size).ToArray();
            yield return Make(dataset, normalization, indices, flips is null ? null : [.. indices.Select(_ => flips.Next(2) == 1)]);
        }
    }

    /// <summary>One batch of the images at <paramref name="indices"/>.</summary>
    public static TensorBatch Make(ImageDataset dataset, DatasetNormalization normalization, IReadOnlyList<int> indices, IReadOnlyList<bool>? mirror = null)
    {
        var (values, labels) = Normalize(dataset, normalization, indices, mirror);
        var shape = dataset.Shape;
        return new TensorBatch(
            torch.tensor(values, [indices.Count, shape.Channels, shape.Height, shape.Width]),
            torch.tensor(labels, [indices.Count]));
    }

    /// <summary>
    /// The images at <paramref name="indices"/>, normalised, as one <c>[N, C, H, W]</c> float32 block in row-major order,
    /// and their labels: what a batch holds, for runtimes other than TorchSharp.
    /// </summary>
    public static (float[] Values, long[] Labels) Normalize(
        ImageDataset dataset, DatasetNormalization normalization, IReadOnlyList<int> indices, IReadOnlyList<bool>? mirror = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(indices);
        var shape = dataset.Shape;
        var size = dataset.ImageSize;
        var plane = shape.Height * shape.Width;
        var values = new float[indices.Count * size];
        var labels = new long[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var image = dataset.Image(indices[i]);
            var target = values.AsSpan(i * size, size);
            var flip = mirror is not null && mirror[i];
            for (var c = 0; c < shape.Channels; c++)
            {
                var mean = (float)normalization.Mean[c];
                var scale = (float)(1.0 / normalization.Std[c]);
                for (var y = 0; y < shape.Height; y++)
                {
                    var row = (c * plane) + (y * shape.Width);
                    for (var x = 0; x < shape.Width; x++)
                    {
                        var from = flip ? shape.Width - 1 - x : x;
                        target[row + x] = (image[row + from] - mean) * scale;
                    }
                }
            }

            labels[i] = dataset.Label(indices[i]);
        }

        return (values, labels);
    }
}
