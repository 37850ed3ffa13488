using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Torch.Datasets;

/// <summary>
/// The three splits a super-network needs: training images, validation images (accuracy), and calibration images
/// (a seeded sample of the training split used to re-estimate BatchNorm statistics per sub-network).
/// </summary>
/// <param name="Train">Training split.</param>
/// <param name="Validation">Validation split, limited to the configured number of images.</param>
/// <param name="Calibration">Calibration split: a seeded random sample of the training split.</param>
/// <param name="Normalization">The normalisation every split is fed with.</param>
/// <param name="Key">A stable text key of the data (files, sizes, counts, seed) for caches.</param>
public sealed record DatasetSplits(
    ImageDataset Train, ImageDataset Validation, ImageDataset Calibration, DatasetNormalization Normalization, string Key)
{
    /// <summary>
    /// Loads <paramref name="source"/> for a network taking <paramref name="input"/> with <paramref name="classes"/> classes.
    /// A null <paramref name="mean"/>/<paramref name="std"/> is computed from the training split;
    /// <paramref name="trainImages"/> keeps only the leading training images (null: all).
    /// </summary>
    public static DatasetSplits Load(
        DatasetSource source, FeatureShape input, int classes, int calibrationImages, int validationImages,
        IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null, int seed = 0, int? trainImages = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        // The training labels must span exactly the network's classes; validation labels must fall within them.
        var train = ReadSplit(source.Format, source.Train, source.TrainLabels, input, null, null, "dataset.train");
        if (train.ClassNames.Count != classes)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"dataset.train ({source.Train}) has {train.ClassNames.Count} classes but supernet.classes is {classes}."),
                ExitCode.BadConfig);
        }

        var validation = ReadSplit(source.Format, source.Validation, source.ValidationLabels, input, classes, train.ClassNames, "dataset.val");
        return Create(train.Take(trainImages ?? train.Count), validation, calibrationImages, validationImages, mean, std, seed, FileKey(source));
    }

    /// <summary>Builds the splits from datasets already in memory.</summary>
    public static DatasetSplits Create(
        ImageDataset train, ImageDataset validation, int calibrationImages, int validationImages,
        IReadOnlyList<double>? mean = null, IReadOnlyList<double>? std = null, int seed = 0, string sourceKey = "memory")
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationImages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(validationImages, 1);
        var channels = train.Shape.Channels;
        var normalization = mean is null || std is null
            ? DatasetNormalization.Compute(train)
            : DatasetNormalization.ForChannels(mean, std, channels);
        var order = SeededShuffle.Permutation(train.Count, seed);
        var calibration = train.Subset(order.Take(Math.Min(calibrationImages, train.Count)).ToArray());
        var limited = validation.Take(validationImages);
        var key = string.Create(
            CultureInfo.InvariantCulture,
            $"{sourceKey};train={train.Count};val={limited.Count};cal={calibration.Count};seed={seed};{normalization}");
        return new DatasetSplits(train, limited, calibration, normalization, key);
    }

    private static ImageDataset ReadSplit(
        DatasetFormat format, string images, string? labels, FeatureShape input, int? classes, IReadOnlyList<string>? classNames, string key)
    {
        var dataset = format switch
        {
            DatasetFormat.Idx => IdxReader.Read(images, RequireLabels(labels, key), classes),
            DatasetFormat.Npy => NpyReader.Read(images, RequireLabels(labels, key), classes),
            _ => ImageFolderReader.Read(images, input, classNames),
        };
        dataset.RequireShape(input, $"{key} ({images})");
        return dataset;
    }

    private static string RequireLabels(string? labels, string key) =>
        labels ?? throw new HwNasException($"{key}_labels is required for idx and npy datasets.", ExitCode.BadConfig);

    // Names and sizes of the files identify the data cheaply; hashing 50 MB per run would not pay off.
    private static string FileKey(DatasetSource source)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { source.Train, source.TrainLabels, source.Validation, source.ValidationLabels }.OfType<string>())
        {
            var size = File.Exists(path) ? new FileInfo(path).Length : -1;
            text.Append(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}:{size};");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
