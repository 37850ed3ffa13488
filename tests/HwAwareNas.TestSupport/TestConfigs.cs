using System.Globalization;

namespace HwAwareNas.TestSupport;

/// <summary>hwnas.yaml texts the tests of several projects start from.</summary>
public static class TestConfigs
{
    /// <summary>The smallest valid configuration: only the required keys (the files it names need not exist).</summary>
    public const string Minimal = """
        supernet:
          family: mobilenetv3
          checkpoint: models/supernet.ckpt
          input: [1, 28, 28]
          classes: 10
        dataset:
          train: data/train.gz
          train_labels: data/train-labels.gz
          val: data/val.gz
          val_labels: data/val-labels.gz
        """;

    /// <summary>Debian's Fashion-MNIST (package dataset-fashion-mnist), which the end-to-end tests train and validate on.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// The top-level <c>dataset:</c> section of Debian's Fashion-MNIST with the sample's normalisation and the given
    /// calibration and validation subsets.
    /// </summary>
    public static string FashionMnistDataset(int calibrationImages, int validationImages) => string.Create(CultureInfo.InvariantCulture, $"""
        dataset:
          format: idx
          train: {FashionMnistFolder}/train-images-idx3-ubyte.gz
          train_labels: {FashionMnistFolder}/train-labels-idx1-ubyte.gz
          val: {FashionMnistFolder}/t10k-images-idx3-ubyte.gz
          val_labels: {FashionMnistFolder}/t10k-labels-idx1-ubyte.gz
          calibration_images: {calibrationImages}
          validation_images: {validationImages}
          mean: [0.286]
          std: [0.353]
        """);
}
