using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Tests.Datasets;

namespace HwAwareNas.Torch.Tests.Training;

/// <summary>A small elastic MobileNetV3 for 28×28 grey images and Fashion-MNIST slices, sized for test time.</summary>
internal static class TinySupernet
{
    private static readonly Lazy<ImageDataset> Train =
        new(() => IdxReader.Read(FashionMnistFiles.TrainImages, FashionMnistFiles.TrainLabels, classes: 10));

    private static readonly Lazy<ImageDataset> Test =
        new(() => IdxReader.Read(FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, classes: 10));

    public static IElasticFamily Family() => FamilyRegistry.Create(
        "mobilenetv3",
        new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("width=0.5,ks=3/5,e=2/4,d=1/2")));

    public static DatasetSplits Data(int trainImages, int validationImages, int calibrationImages) =>
        DatasetSplits.Create(Train.Value.Take(trainImages), Test.Value, calibrationImages, validationImages);
}
