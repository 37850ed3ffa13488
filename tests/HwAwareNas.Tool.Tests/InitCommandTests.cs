using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Tool.Tests;

[TestClass]
public sealed class InitCommandTests
{
    [TestMethod]
    public void InitWritesTheDocumentedTemplateThatValidates()
    {
        using var folder = new TempFolder();

        var result = Cli.Run("init", folder.Path);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var written = Path.Combine(folder.Path, "hwnas.yaml");
        Assert.AreEqual(File.ReadAllText(Cli.ExamplePath), File.ReadAllText(written));
        var validation = Cli.Run("validate", written);
        Assert.AreEqual(0, validation.ExitCode, validation.ToString());
    }

    // Training sets torch's process-wide thread count; run beside other tests' torch work in this process, its optimizer
    // step twice failed inside libtorch (a Scalar read with an invalid tag), so it runs alone.
    [TestMethod]
    [DoNotParallelize]
    public void WhatInitWritesTrainsAndProfiles()
    {
        // A new user's first steps, on the template as written: only the amount of training is cut, by options.
        using var folder = new TempFolder();
        Assert.AreEqual(0, Cli.Run("init", folder.Path).ExitCode);
        var config = Path.Combine(folder.Path, "hwnas.yaml");

        var train = Cli.Run(
            "train", "--config", config, "--epochs", "1", "--train-images", "200", "--batch", "50", "--epoch-val-images", "50",
            "--random-subnets", "0", "--no-flip", "--threads", "1");
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        var profile = Cli.Run("profile", "--config", config, "--genomes", "2");
        Assert.AreEqual(0, profile.ExitCode, profile.ToString());
        StringAssert.Contains(profile.Out, "2 sub-networks (2 measured now)");

        // Validation reads the training record train wrote: it holds, until the settings stop matching the weights.
        var valid = Cli.Run("validate", config, "--check-files");
        Assert.AreEqual(0, valid.ExitCode, valid.ToString());
        File.WriteAllText(config, File.ReadAllText(config).Replace("    width: 0.5\n", "    width: 0.75\n", StringComparison.Ordinal));
        var changed = Cli.Run("validate", config);
        Assert.AreEqual(ExitCode.BadConfig, changed.Code, changed.ToString());
        StringAssert.Contains(changed.Error, "error HWNAS1015: the mobilenetv3 settings differ from those the checkpoint");
        StringAssert.Contains(changed.Error, "width 0.75 (checkpoint: 0.5)");
    }

    [TestMethod]
    public void InitRefusesToOverwriteUnlessForced()
    {
        using var folder = new TempFolder();
        var existing = folder.Write("hwnas.yaml", "# my settings\n");

        var refused = Cli.Run("init", folder.Path);

        Assert.AreEqual(ExitCode.Failure, refused.Code, refused.ToString());
        StringAssert.Contains(refused.Error, "already exists; pass --force to overwrite it");
        Assert.AreEqual("# my settings\n", File.ReadAllText(existing));

        var forced = Cli.Run("init", folder.Path, "--force");

        Assert.AreEqual(0, forced.ExitCode, forced.ToString());
        StringAssert.StartsWith(File.ReadAllText(existing), "# hwnas.yaml:");
    }

    [TestMethod]
    public void InitCreatesAMissingFolder()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "new", "project");

        var result = Cli.Run("init", target);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsTrue(File.Exists(Path.Combine(target, "hwnas.yaml")));
    }
}
