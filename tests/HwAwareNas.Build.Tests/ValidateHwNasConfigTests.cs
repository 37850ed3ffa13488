namespace HwAwareNas.Build.Tests;

/// <summary>Checks that config problems become located MSBuild errors and that the search's inputs are listed.</summary>
[TestClass]
public sealed class ValidateHwNasConfigTests
{
    private string _folder = string.Empty;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("hwnas-validate-").FullName;
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        foreach (var file in new[] { "models/supernet.ckpt", "data/train.gz", "data/train-labels.gz", "data/val.gz", "data/val-labels.gz" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_folder, file))!);
            File.WriteAllText(Path.Combine(_folder, file), "x");
        }

        TrainingRecordFile.WriteBeside(Checkpoint);
    }

    private string Checkpoint => Path.Combine(_folder, "models", "supernet.ckpt");

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void ValidConfigListsConfigCheckpointAndDataAsInputs()
    {
        var config = WriteConfig(ValidConfig);
        var (task, engine) = Create(config);

        Assert.IsTrue(task.Execute(), string.Join(Environment.NewLine, engine.Errors.Select(e => e.Message)));

        var inputs = task.InputFiles.Select(i => i.ItemSpec).ToList();
        CollectionAssert.Contains(inputs, config);
        CollectionAssert.Contains(inputs, Path.Combine(_folder, "models", "supernet.ckpt"));
        CollectionAssert.Contains(inputs, Path.Combine(_folder, "data", "val-labels.gz"));
        Assert.HasCount(6, inputs);
    }

    [TestMethod]
    public void UnknownKeyIsAnErrorAtItsLineAndColumn()
    {
        var config = WriteConfig(ValidConfig + "serch:\n  population: 4\n");
        var (task, engine) = Create(config);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        StringAssert.StartsWith(error.Code, "HWNAS1");
        Assert.AreEqual(config, error.File);
        Assert.AreEqual(ValidConfig.Split('\n').Length, error.LineNumber);
        Assert.AreEqual(1, error.ColumnNumber);
        Assert.IsEmpty(task.InputFiles);
    }

    [TestMethod]
    public void MissingCheckpointIsAnError()
    {
        File.Delete(Path.Combine(_folder, "models", "supernet.ckpt"));
        var (task, engine) = Create(WriteConfig(ValidConfig));

        Assert.IsFalse(task.Execute());

        Assert.IsTrue(engine.Errors.Any(e => e.Message!.Contains("supernet.ckpt", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void CheckpointWithoutItsTrainingRecordIsAnError()
    {
        File.Delete(Checkpoint + ".json");
        var config = WriteConfig(ValidConfig);
        var (task, engine) = Create(config);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual(("HWNAS1021", config, 3, 15), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        StringAssert.Contains(error.Message, "supernet.ckpt.json");
    }

    [TestMethod]
    public void SettingTheFamilyRejectsIsAnErrorAtItsKey()
    {
        var config = WriteConfig(ValidConfig.Replace("  classes: 10\n", "  classes: 10\n  settings:\n    width_mult: 0.5\n", StringComparison.Ordinal));
        var (task, engine) = Create(config);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual(("HWNAS1014", config, 7, 5), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        StringAssert.Contains(error.Message, "unknown mobilenetv3 setting 'width_mult'");
    }

    [TestMethod]
    public void SettingsThatDifferFromTheCheckpointsAreAnError()
    {
        TrainingRecordFile.WriteBeside(Checkpoint, "width=0.5");
        var config = WriteConfig(ValidConfig);
        var (task, engine) = Create(config);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual(("HWNAS1015", config, 1, 1), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        StringAssert.Contains(error.Message, "width 1 (checkpoint: 0.5)");
    }

    [TestMethod]
    public void NamedDeviceProfileIsReadAndBecomesAnInput()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "devices"));
        var profile = Path.Combine(_folder, "devices", "edge.yaml");
        File.WriteAllText(profile, "name: edge\nthreads: 1\n");
        var (task, engine) = Create(WriteConfig(ValidConfig), device: "edge");

        Assert.IsTrue(task.Execute(), string.Join(Environment.NewLine, engine.Errors.Select(e => e.Message)));

        CollectionAssert.Contains(task.InputFiles.Select(i => i.ItemSpec).ToList(), profile);
    }

    [TestMethod]
    public void MissingDeviceProfileIsAnError()
    {
        var (task, engine) = Create(WriteConfig(ValidConfig), device: "nowhere");

        Assert.IsFalse(task.Execute());

        Assert.AreEqual("HWNAS1022", engine.Errors.Single().Code);
    }

    // The smallest valid configuration, ending in a newline so that keys can be appended.
    private static readonly string ValidConfig = HwAwareNas.TestSupport.TestConfigs.Minimal + "\n";

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_folder, "hwnas.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static (ValidateHwNasConfig Task, RecordingBuildEngine Engine) Create(string config, string device = "")
    {
        var engine = new RecordingBuildEngine();
        return (new ValidateHwNasConfig { BuildEngine = engine, ConfigFile = config, Device = device }, engine);
    }
}
