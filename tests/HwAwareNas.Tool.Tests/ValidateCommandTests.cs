using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;

namespace HwAwareNas.Tool.Tests;

[TestClass]
public sealed class ValidateCommandTests
{
    [TestMethod]
    public void ExampleIsValid()
    {
        var result = Cli.Run("validate", Cli.ExamplePath);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(string.Empty, result.Error);
        StringAssert.Contains(result.Out, "valid (mobilenetv3, device local-cpu on cpu, strategy concurrent)");
    }

    [TestMethod]
    public void BadFileExitsTwoAndPrintsEveryDiagnosticInMsBuildFormat()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", """
            supernet:
              family: mobilenetv3
              input: [1, 28, 28]
              classes: ten
            dataset:
              train: a.gz
              train_labels: b.gz
              val: c.gz
              val_labels: d.gz
            device:
              provder: cpu
              precision: fp16
            """);

        var result = Cli.Run("validate", path);

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        CollectionAssert.IsSubsetOf(
            new[]
            {
                $"{path}(1,1): error HWNAS1006: missing required key 'checkpoint' in 'supernet' (Super-network weights (written by `dotnet hwnas train`, read by every later stage))",
                $"{path}(4,12): error HWNAS1002: 'supernet.classes' is 'ten' (a whole number >= 2)",
                $"{path}(11,3): error HWNAS1005: unknown key 'provder' in 'device'; did you mean 'provider'? (one of: name, provider, threads, intra_op_threads, inter_op_threads, batch, graph_optimization, precision, measure, remote)",
                $"{path}(12,14): error HWNAS1008: 'device.precision: fp16' is not supported yet (one of: fp32)",
            },
            lines,
            result.ToString());
        Assert.AreEqual($"{path}: 4 problem(s) found", lines[^1]);
        Assert.AreEqual(string.Empty, result.Out);
    }

    [TestMethod]
    public void MissingFileExitsThree()
    {
        using var folder = new TempFolder();
        var result = Cli.Run("validate", Path.Combine(folder.Path, "hwnas.yaml"));

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "error HWNAS1020");
    }

    [TestMethod]
    public void CheckFilesReportsMissingInputsOnlyWhenAsked()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);
        foreach (var data in new[] { "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz" })
        {
            folder.Write(data, "x");
        }

        Assert.AreEqual(0, Cli.Run("validate", path).ExitCode);
        var result = Cli.Run("validate", path, "--check-files");

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, $"{path}(3,15): error HWNAS1021: 'supernet.checkpoint'");

        // Weights without the training record beside them cannot be loaded by any later stage.
        var checkpoint = folder.Write("models/supernet.ckpt", "weights");
        Assert.AreEqual(0, Cli.Run("validate", path).ExitCode);
        var withoutRecord = Cli.Run("validate", path, "--check-files");
        Assert.AreEqual(ExitCode.MissingInput, withoutRecord.Code, withoutRecord.ToString());
        StringAssert.Contains(withoutRecord.Error, $"{path}(3,15): error HWNAS1021: the checkpoint '{checkpoint}' has no training record '{checkpoint}.json'");

        WriteTrainingRecord(folder, "width=1");
        Assert.AreEqual(0, Cli.Run("validate", path, "--check-files").ExitCode);
    }

    [TestMethod]
    public void SettingsTheFamilyRejectsAreLocatedErrors()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal.Replace(
            "  classes: 10\n", "  classes: 10\n  settings:\n    width_mult: 1.0\n    strides: [1, 2, 2, 1, 2]\n", StringComparison.Ordinal));

        var result = Cli.Run("validate", path);

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error, $"{path}(7,5): error HWNAS1014: unknown mobilenetv3 setting 'width_mult' (one of: ");
        StringAssert.Contains(result.Error, $"{path}(8,5): error HWNAS1014: mobilenetv3 setting 'strides' has 5 values (exactly 7 values)");
        StringAssert.Contains(result.Error, $"{path}: 2 problem(s) found");
    }

    [TestMethod]
    public void SettingsThatDifferFromTheCheckpointsAreALocatedError()
    {
        using var folder = new TempFolder();
        folder.Write("models/supernet.ckpt", "weights");
        WriteTrainingRecord(folder, "width=0.5");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal.Replace("  classes: 10\n", "  classes: 10\n  settings:\n    width: 0.75\n", StringComparison.Ordinal));

        var result = Cli.Run("validate", path);

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error, $"{path}(6,3): error HWNAS1015: the mobilenetv3 settings differ from those the checkpoint");
        StringAssert.Contains(result.Error, "width 0.75 (checkpoint: 0.5)");
    }

    [TestMethod]
    public void ExecutionProviderThisRuntimeLacksIsALocatedError()
    {
        // DirectML exists only in Windows builds of ONNX Runtime.
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\ndevice:\n  threads: 1\n  provider: directml\n");
        folder.Write("devices/win.yaml", "threads: 1\nprovider: directml\n");

        var inline = Cli.Run("validate", path);
        var profile = Cli.Run("validate", Path.Combine(folder.Path, "hwnas.yaml"), "--device", "win");

        Assert.AreEqual(ExitCode.BadConfig, inline.Code, inline.ToString());
        StringAssert.Contains(inline.Error, $"{path}(13,3): error HWNAS1016: execution provider 'directml' (DmlExecutionProvider) is not available");
        StringAssert.Contains(inline.Error, "(one of: cpu");
        Assert.AreEqual(ExitCode.BadConfig, profile.Code, profile.ToString());
        StringAssert.Contains(profile.Error, $"{Path.Combine(folder.Path, "devices", "win.yaml")}(2,1): error HWNAS1016:");
    }

    [TestMethod]
    public void OptimizeRefusesAnUnavailableProviderBeforeLoadingAnything()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\ndevice:\n  provider: directml\n");

        var result = Cli.Run("optimize", path, "--log-format", "msbuild");

        Assert.AreEqual(ExitCode.RuntimeRejected, result.Code, result.ToString());
        StringAssert.StartsWith(result.Error, $"{path}(12,3): error HWNAS1016:");
        CollectionAssert.AreEquivalent(new[] { "hwnas.yaml" }, Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).ToArray());
    }

    /// <summary>Writes the fields of the training record <c>hwnas train</c> writes beside the checkpoint that validation reads.</summary>
    private static void WriteTrainingRecord(TempFolder folder, string settings)
    {
        var family = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split(settings)));
        folder.Write("models/supernet.ckpt.json", JsonSerializer.Serialize(new { family = "mobilenetv3", settings = family.SettingsText, input = new[] { 1, 28, 28 }, classes = 10 }));
    }

    [TestMethod]
    public void DeviceOptionPicksANamedProfile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);
        folder.Write("devices/rpi4.yaml", "provider: cpu\nthreads: 4\n");

        var picked = Cli.Run("validate", path, "--device", "rpi4");
        var missing = Cli.Run("validate", path, "--device", "jetson");

        Assert.AreEqual(0, picked.ExitCode, picked.ToString());
        StringAssert.Contains(picked.Out, "device rpi4 on cpu");
        Assert.AreEqual(ExitCode.MissingInput, missing.Code, missing.ToString());
        StringAssert.Contains(missing.Error, "error HWNAS1022: device profile 'jetson' not found");
    }
}
