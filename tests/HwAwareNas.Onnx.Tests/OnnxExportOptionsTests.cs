using System.Text.Json;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Onnx.Tests;

[TestClass]
public sealed class OnnxExportOptionsTests
{
    [TestMethod]
    [DataRow("mobilenetv3", "width", "0.5")]
    [DataRow("resnet", "stem", "16")]
    public void ForFamilyWritesSettingsThatRebuildTheSameFamily(string name, string key, string value)
    {
        var family = FamilyRegistry.Create(
            name,
            new FamilyOptions(new FeatureShape(1, 28, 28), 10, new Dictionary<string, string> { [key] = value }));
        var genome = family.Sample(new Random(3));

        var options = OnnxExportOptions.ForFamily(family, genome, new OnnxPreprocessing(1.0 / 255, [0.5], [0.5]));

        Assert.AreEqual(family.Family, options.Family);
        Assert.AreEqual(genome, family.FromOfaNotation(options.Genome));
        using var json = JsonDocument.Parse(options.SettingsJson);
        var root = json.RootElement;
        var input = root.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var settings = root.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var rebuilt = FamilyRegistry.Create(
            options.Family,
            new FamilyOptions(new FeatureShape(input[0], input[1], input[2]), root.GetProperty("classes").GetInt32(), settings));
        Assert.AreEqual(family.SettingsText, rebuilt.SettingsText);
        Assert.AreEqual(10, rebuilt.Classes);
        StringAssert.Contains(family.SettingsText, $"{key}={value}");
    }
}
