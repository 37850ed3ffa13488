using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Datasets;
using SkiaSharp;

namespace HwAwareNas.Tool.Tests;

/// <summary>
/// The tool ships one SkiaSharp: the one ScottPlot (report charts) was built against, which ImageFolderReader decodes
/// with. This project resolves packages as the tool does, so what loads here is what the tool runs on.
/// </summary>
[TestClass]
public sealed class SkiaSharpVersionTests
{
    [TestMethod]
    public void TheToolLoadsTheSkiaSharpScottPlotWasBuiltAgainst()
    {
        var scottPlotWants = typeof(ScottPlot.Plot).Assembly.GetReferencedAssemblies().Single(a => a.Name == "SkiaSharp").Version!;
        var loaded = typeof(SKBitmap).Assembly.GetName().Version!;

        Assert.AreEqual(scottPlotWants.Major, loaded.Major);
        Assert.IsGreaterThanOrEqualTo(scottPlotWants, loaded);
    }

    [TestMethod]
    public void TheNativeSkiaBesideTheToolIsOfTheManagedVersion()
    {
        // SkiaSharp's native milestone is the minor of its managed version (3.119 ships Skia milestone 119); a 2.88
        // native (milestone 88) beside a 3.x managed SkiaSharp is what the two-version build risked.
        var managed = typeof(SKBitmap).Assembly.GetName().Version!;

        Assert.AreEqual(managed.Minor, SkiaSharpVersion.Native.Major, $"managed {managed}, native {SkiaSharpVersion.Native}");
        Assert.IsTrue(SkiaSharpVersion.CheckNativeLibraryCompatible(throwIfIncompatible: false));
    }

    [TestMethod]
    [DataRow(SKEncodedImageFormat.Png, "a.png")]
    [DataRow(SKEncodedImageFormat.Jpeg, "a.jpg")]
    public void ImageFolderReaderDecodesWithTheShippedSkiaSharp(SKEncodedImageFormat format, string name)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "grey", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var bitmap = new SKBitmap(12, 10))
        {
            bitmap.Erase(new SKColor(128, 128, 128));
            using var image = SKImage.FromBitmap(bitmap);
            using var encoded = image.Encode(format, 95);
            using var file = File.Create(path);
            encoded.SaveTo(file);
        }

        var data = ImageFolderReader.Read(folder.Path, new FeatureShape(3, 6, 6));

        Assert.AreEqual(1, data.Count);
        Assert.IsTrue(data.Image(0).ToArray().All(v => Math.Abs(v - (128 / 255f)) < 0.02f));
    }
}
