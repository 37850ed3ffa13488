using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Torch.Datasets;
using SkiaSharp;

namespace HwAwareNas.Torch.Tests.Datasets;

[TestClass]
public sealed class ImageFolderReaderTests
{
    [TestMethod]
    public void ReadsOneClassPerSubFolderResizedToTheInput()
    {
        using var folder = new TemporaryFolder();
        WritePng(Path.Combine(folder.Path, "dark", "a.png"), 16, 16, SKColors.Black);
        WritePng(Path.Combine(folder.Path, "dark", "b.png"), 20, 12, new SKColor(40, 40, 40));
        WritePng(Path.Combine(folder.Path, "light", "a.png"), 8, 8, SKColors.White);
        File.WriteAllText(Path.Combine(folder.Path, "light", "notes.txt"), "not an image");

        var data = ImageFolderReader.Read(folder.Path, new FeatureShape(1, 8, 8));

        CollectionAssert.AreEqual(new[] { "dark", "light" }, data.ClassNames.ToArray());
        Assert.AreEqual(3, data.Count);
        CollectionAssert.AreEqual(new[] { 0, 0, 1 }, Enumerable.Range(0, 3).Select(data.Label).ToArray());
        Assert.AreEqual(64, data.Image(1).Length);
        Assert.IsTrue(data.Image(0).ToArray().All(v => v < 0.01f));
        Assert.IsTrue(data.Image(1).ToArray().All(v => Math.Abs(v - (40 / 255f)) < 0.02f));
        Assert.IsTrue(data.Image(2).ToArray().All(v => v > 0.99f));
    }

    [TestMethod]
    public void RgbInputKeepsColourChannelsApart()
    {
        using var folder = new TemporaryFolder();
        WritePng(Path.Combine(folder.Path, "red", "a.png"), 4, 4, SKColors.Red);

        var data = ImageFolderReader.Read(folder.Path, new FeatureShape(3, 4, 4));

        var image = data.Image(0).ToArray();
        Assert.IsTrue(image[..16].All(v => v > 0.99f), "red plane");
        Assert.IsTrue(image[16..].All(v => v < 0.01f), "green and blue planes");
    }

    [TestMethod]
    public void CorruptImageAndEmptyFolderAreClearErrors()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "cls"));
        File.WriteAllText(Path.Combine(folder.Path, "cls", "broken.png"), "not a png");
        using var empty = new TemporaryFolder();

        var corrupt = Assert.ThrowsExactly<HwNasException>(() => ImageFolderReader.Read(folder.Path, new FeatureShape(1, 4, 4)));
        var none = Assert.ThrowsExactly<HwNasException>(() => ImageFolderReader.Read(empty.Path, new FeatureShape(1, 4, 4)));

        Assert.AreEqual(ExitCode.MissingInput, corrupt.ExitCode);
        StringAssert.Contains(corrupt.Message, "broken.png");
        Assert.AreEqual(ExitCode.MissingInput, none.ExitCode);
    }

    private static void WritePng(string path, int width, int height, SKColor color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
