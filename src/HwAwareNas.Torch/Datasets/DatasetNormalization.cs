using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Torch.Datasets;

/// <summary>Per-channel mean and standard deviation applied to pixels in [0, 1]: <c>(x − mean) / std</c>.</summary>
/// <param name="Mean">Mean of each channel.</param>
/// <param name="Std">Standard deviation of each channel (positive).</param>
public sealed record DatasetNormalization(IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>
    /// Normalisation for <paramref name="channels"/> channels from configured values, where one value applies to every
    /// channel; throws <see cref="HwNasException"/> for a count that matches neither 1 nor the channels, or a std ≤ 0.
    /// </summary>
    public static DatasetNormalization ForChannels(IReadOnlyList<double> mean, IReadOnlyList<double> std, int channels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var m = Expand(mean, channels, "mean");
        var s = Expand(std, channels, "std");
        if (s.Any(v => !(v > 0)))
        {
            throw new HwNasException("dataset.std: every standard deviation must be positive.", ExitCode.BadConfig);
        }

        return new DatasetNormalization(m, s);
    }

    /// <summary>The per-channel mean and standard deviation of a dataset's pixels (the training split's, normally).</summary>
    public static DatasetNormalization Compute(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var channels = dataset.Shape.Channels;
        var plane = dataset.Shape.Height * dataset.Shape.Width;
        var sum = new double[channels];
        var sumSquares = new double[channels];
        for (var i = 0; i < dataset.Count; i++)
        {
            var image = dataset.Image(i);
            for (var c = 0; c < channels; c++)
            {
                foreach (var v in image.Slice(c * plane, plane))
                {
                    sum[c] += v;
                    sumSquares[c] += (double)v * v;
                }
            }
        }

        var n = (double)dataset.Count * plane;
        var mean = sum.Select(s => s / n).ToArray();
        // A constant channel would divide by zero; 1 leaves it centred but unscaled.
        var std = sumSquares.Select((s, c) => Math.Sqrt(Math.Max(0, (s / n) - (mean[c] * mean[c])))).Select(v => v > 1e-8 ? v : 1.0).ToArray();
        return new DatasetNormalization(mean, std);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"mean [{string.Join(", ", Mean.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}], std [{string.Join(", ", Std.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}]");

    private static double[] Expand(IReadOnlyList<double> values, int channels, string key)
    {
        if (values.Count == 1)
        {
            return Enumerable.Repeat(values[0], channels).ToArray();
        }

        if (values.Count != channels)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"dataset.{key} has {values.Count} values: expected 1 or one per channel ({channels})."),
                ExitCode.BadConfig);
        }

        return [.. values];
    }
}
