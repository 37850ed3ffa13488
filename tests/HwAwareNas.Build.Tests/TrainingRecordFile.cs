using System.Text.Json;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Build.Tests;

/// <summary>Stands in for the training record <c>hwnas train</c> writes beside a checkpoint (<c>&lt;checkpoint&gt;.json</c>).</summary>
internal static class TrainingRecordFile
{
    /// <summary>
    /// Writes the fields validation compares for a mobilenetv3 with <paramref name="settings"/> (<c>key=value</c> text),
    /// 1×28×28 images and 10 classes.
    /// </summary>
    public static void WriteBeside(string checkpoint, string settings = "")
    {
        var family = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(settings)));
        File.WriteAllText(
            checkpoint + ".json",
            JsonSerializer.Serialize(new { family = family.Family, settings = family.SettingsText, input = new[] { 1, 28, 28 }, classes = 10 }));
    }
}
