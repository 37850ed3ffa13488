using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Torch.Datasets;

/// <summary>Where a dataset is and how to read it (the <c>dataset</c> section of hwnas.yaml, paths already resolved).</summary>
/// <param name="Format">Storage format.</param>
/// <param name="Train">Training images (file, or folder for <see cref="DatasetFormat.Folder"/>).</param>
/// <param name="TrainLabels">Training labels (idx and npy).</param>
/// <param name="Validation">Validation images.</param>
/// <param name="ValidationLabels">Validation labels (idx and npy).</param>
public sealed record DatasetSource(
    DatasetFormat Format, string Train, string? TrainLabels, string Validation, string? ValidationLabels);
