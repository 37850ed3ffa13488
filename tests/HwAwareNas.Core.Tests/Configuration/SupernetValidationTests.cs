using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Core.Tests.Configuration;

/// <summary>The loader checks the supernet section against its family and its checkpoint's training record.</summary>
[TestClass]
public sealed class SupernetValidationTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    private static string WithSettings(string settings) =>
        TestConfigs.Minimal.Replace("  classes: 10\n", "  classes: 10\n  settings:\n" + settings, StringComparison.Ordinal);

    /// <summary>Writes the checkpoint and the training record training writes beside it (the fields validation reads).</summary>
    private static void WriteCheckpoint(TempFolder folder, string family, string settings, int[] input, int classes)
    {
        folder.Write("models/supernet.ckpt", "weights");
        var text = FamilyRegistry.Create(family, new FamilyOptions(new FeatureShape(input[0], input[1], input[2]), classes, FamilySettingsReader.Split(settings))).SettingsText;
        folder.Write("models/supernet.ckpt.json", JsonSerializer.Serialize(new
        {
            format_version = 1,
            family,
            settings = text,
            input,
            classes,
            weights_sha256 = "not checked by validation",
        }));
    }

    [TestMethod]
    public void SettingsTheFamilyRejectsAreEachLocatedAtTheirKey()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", WithSettings("""
                width_mult: 1.0
                strides: [1, 2, 2, 1, 2]
                ks: [7, 5, 3]
                preset: huge
                width: 0.5

            """));

        var result = HwNasConfigLoader.Validate(path, NoEnvironment);

        var found = result.Diagnostics.Select(d => (d.Code, d.Line, d.Column, d.Key)).OrderBy(d => d.Line).ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                (ConfigDiagnosticCodes.InvalidFamilySetting, 7, 5, "supernet.settings.width_mult"),
                (ConfigDiagnosticCodes.InvalidFamilySetting, 8, 5, "supernet.settings.strides"),
                (ConfigDiagnosticCodes.InvalidFamilySetting, 9, 5, "supernet.settings.ks"),
                (ConfigDiagnosticCodes.InvalidFamilySetting, 10, 5, "supernet.settings.preset"),
            },
            found,
            string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual(ExitCode.BadConfig, result.ExitCode);
        var strides = result.Diagnostics.Single(d => d.Key == "supernet.settings.strides");
        Assert.AreEqual($"{path}(8,5): error HWNAS1014: mobilenetv3 setting 'strides' has 5 values (exactly 7 values)", strides.ToString());
        StringAssert.Contains(result.Diagnostics.Single(d => d.Key == "supernet.settings.width_mult").Message, "unknown mobilenetv3 setting 'width_mult'");
        var thrown = Assert.ThrowsExactly<HwNasException>(() => HwNasConfigLoader.Load(path, NoEnvironment));
        Assert.HasCount(4, thrown.Diagnostics);
    }

    [TestMethod]
    public void AProblemBetweenSettingsIsLocatedAtOneOfThem()
    {
        using var folder = new TempFolder();
        var text = WithSettings("    stem: 32\n    widths: [32, 64, 96, 128]\n").Replace("mobilenetv3", "resnet", StringComparison.Ordinal);
        var path = folder.Write("hwnas.yaml", text);

        var problem = HwNasConfigLoader.Validate(path, NoEnvironment).Diagnostics.Single();

        Assert.AreEqual((ConfigDiagnosticCodes.InvalidFamilySetting, "supernet.settings.stem", 7, 5), (problem.Code, problem.Key, problem.Line, problem.Column));
        StringAssert.Contains(problem.Message, "same channel choices");
    }

    [TestMethod]
    public void SettingNamesThatDifferOnlyInCaseAreOneSettingGivenTwice()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", WithSettings("    width: 0.5\n    Width: 0.25\n"));

        var problem = HwNasConfigLoader.Validate(path, NoEnvironment).Diagnostics.Single();

        Assert.AreEqual((ConfigDiagnosticCodes.InvalidFamilySetting, "supernet.settings.Width", 8, 5), (problem.Code, problem.Key, problem.Line, problem.Column));
    }

    [TestMethod]
    public void ACheckpointTrainedForAnotherSuperNetworkIsALocatedError()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder, "mobilenetv3", "width=0.5", [1, 28, 28], 10);
        Assert.IsTrue(HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", WithSettings("    width: 0.5\n")), NoEnvironment).IsValid);

        var path = folder.Write("hwnas.yaml", WithSettings("    width: 1.0\n").Replace("[1, 28, 28]", "[1, 32, 32]", StringComparison.Ordinal));
        var result = HwNasConfigLoader.Validate(path, NoEnvironment);

        var found = result.Diagnostics.Select(d => (d.Code, d.Key, d.Line, d.Column)).OrderBy(d => d.Line).ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                (ConfigDiagnosticCodes.CheckpointMismatch, "supernet.input", 4, 3),
                (ConfigDiagnosticCodes.CheckpointMismatch, "supernet.settings", 6, 3),
            },
            found,
            string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual(ExitCode.BadConfig, result.ExitCode);
        var settings = result.Diagnostics.Single(d => d.Key == "supernet.settings");
        StringAssert.Contains(settings.Message, "width 1 (checkpoint: 0.5)");
        StringAssert.Contains(settings.Message, Path.Combine(folder.Path, "models", "supernet.ckpt"));
        Assert.IsTrue(
            HwNasConfigLoader.Validate(path, NoEnvironment with { CompareCheckpoint = false }).IsValid,
            "training a new checkpoint replaces the old one, whatever it was trained for");
    }

    [TestMethod]
    public void ACheckpointOfAnotherFamilyIsLocatedAtTheFamily()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder, "resnet", string.Empty, [1, 28, 28], 10);
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal.Replace("classes: 10", "classes: 12", StringComparison.Ordinal));

        var found = HwNasConfigLoader.Validate(path, NoEnvironment).Diagnostics.Select(d => (d.Code, d.Key, d.Line, d.Column)).ToList();

        // Settings of different families do not compare; the class count still does.
        CollectionAssert.AreEquivalent(
            new[]
            {
                (ConfigDiagnosticCodes.CheckpointMismatch, "supernet.family", 2, 3),
                (ConfigDiagnosticCodes.CheckpointMismatch, "supernet.classes", 5, 3),
            },
            found);
    }

    [TestMethod]
    public void CheckpointWithoutItsTrainingRecordIsAMissingInputWhenFilesAreChecked()
    {
        using var folder = new TempFolder();
        foreach (var data in new[] { "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz", "models/supernet.ckpt" })
        {
            folder.Write(data, "x");
        }

        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);

        Assert.IsTrue(HwNasConfigLoader.Validate(path, NoEnvironment).IsValid);
        var result = HwNasConfigLoader.Validate(path, NoEnvironment with { CheckFiles = true });

        var problem = result.Diagnostics.Single();
        Assert.AreEqual((ConfigDiagnosticCodes.MissingReferencedFile, "supernet.checkpoint", 3, 15), (problem.Code, problem.Key, problem.Line, problem.Column));
        StringAssert.Contains(problem.Message, "supernet.ckpt.json");
        Assert.AreEqual(ExitCode.MissingInput, result.ExitCode);
    }

    [TestMethod]
    public void UnreadableTrainingRecordIsACorruptInput()
    {
        using var folder = new TempFolder();
        folder.Write("models/supernet.ckpt", "weights");
        folder.Write("models/supernet.ckpt.json", "{ \"family\": ");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);

        var result = HwNasConfigLoader.Validate(path, NoEnvironment);

        var problem = result.Diagnostics.Single();
        Assert.AreEqual((ConfigDiagnosticCodes.CorruptReferencedFile, "supernet.checkpoint"), (problem.Code, problem.Key));
        Assert.AreEqual(ExitCode.MissingInput, result.ExitCode);

        folder.Write("models/supernet.ckpt.json", "{ \"family\": \"mobilenetv3\" }");
        StringAssert.Contains(HwNasConfigLoader.Validate(path, NoEnvironment).Diagnostics.Single().Message, "lacks family, settings, input or classes");
    }
}
