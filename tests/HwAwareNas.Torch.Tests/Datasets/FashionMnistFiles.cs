namespace HwAwareNas.Torch.Tests.Datasets;

/// <summary>The Debian package dataset-fashion-mnist's files, which CI installs.</summary>
internal static class FashionMnistFiles
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public static string TrainImages => Path.Combine(Folder, "train-images-idx3-ubyte.gz");

    public static string TrainLabels => Path.Combine(Folder, "train-labels-idx1-ubyte.gz");

    public static string TestImages => Path.Combine(Folder, "t10k-images-idx3-ubyte.gz");

    public static string TestLabels => Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz");
}
