using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Tests.Configuration;

[TestClass]
public sealed class ConfigLoaderTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { Environment = _ => null };

    private static ConfigLoadResult ValidateIn(TempFolder folder, string text, ConfigLoadOptions? options = null) =>
        HwNasConfigLoader.Validate(folder.Write("hwnas.yaml", text), options ?? NoEnvironment);

    private static IReadOnlyList<Diagnostic> Problems(string text, ConfigLoadOptions? options = null)
    {
        using var folder = new TempFolder();
        var result = ValidateIn(folder, text, options);
        Assert.IsFalse(result.IsValid, "expected the configuration to be invalid");
        return result.Diagnostics;
    }

    [TestMethod]
    public void GoodFileLoadsValuesAndResolvesPathsAgainstItsFolder()
    {
        using var folder = new TempFolder();
        var path = folder.Write("proj/hwnas.yaml", """
            supernet:
              family: resnet
              checkpoint: models/supernet.ckpt
              input: [3, 32, 32]
              classes: 100
              settings: { stem: 40, w: [0.8, 1.0] }
            dataset:
              format: npy
              train: ../data/x.npy
              train_labels: /abs/y.npy
              val: data/vx.npy
              val_labels: data/vy.npy
              mean: [0.1, 0.2, 0.3]
              std: [0.5]
            device:
              provider: cuda
              threads: 4
              batch: 8
              graph_optimization: basic
              measure: { runs: 50, trim: 0.1, adaptive: { enabled: true, min_runs: 5, max_runs: 40 } }
            objectives: [accuracy, latency, params]
            constraints: { latency_ms: 2.5, latency_margin: 0.04, accuracy: ">= 0.85", params: 1000000 }
            search:
              strategy: warm-start
              population: 20
              warm_start: previous/population.json
              predictors: { latency: gbdt }
              max_time: 1h30m
              stop_when_met: true
            output: { dir: out, select: knee, export_front: true, confirm: 5 }
            """);

        var config = HwNasConfigLoader.Load(path, NoEnvironment);

        var projDir = Path.Combine(folder.Path, "proj");
        Assert.AreEqual(SupernetFamily.ResNet, config.Supernet.Family);
        Assert.AreEqual(Path.Combine(projDir, "models", "supernet.ckpt"), config.Supernet.Checkpoint);
        Assert.AreEqual(new InputShape(3, 32, 32), config.Supernet.Input);
        Assert.AreEqual(100, config.Supernet.Classes);
        Assert.AreEqual(40, config.Supernet.Settings.GetInt("stem", 64));
        CollectionAssert.AreEqual(new[] { 0.8, 1.0 }, config.Supernet.Settings.GetDoubleList("w", []).ToArray());
        Assert.AreEqual(DatasetFormat.Npy, config.Dataset.Format);
        Assert.AreEqual(Path.Combine(folder.Path, "data", "x.npy"), config.Dataset.Train);
        Assert.AreEqual("/abs/y.npy", config.Dataset.TrainLabels);
        CollectionAssert.AreEqual(new[] { 0.1, 0.2, 0.3 }, config.Dataset.Mean.ToArray());
        CollectionAssert.AreEqual(new[] { 0.5, 0.5, 0.5 }, config.Dataset.Std.ToArray(), "one std value applies to every channel");
        Assert.AreEqual(ExecutionProvider.Cuda, config.Device.Provider);
        Assert.AreEqual(4, config.Device.IntraOpThreads, "threads is shorthand for intra_op_threads");
        Assert.AreEqual(8, config.Device.Batch);
        Assert.AreEqual(GraphOptimization.Basic, config.Device.GraphOptimization);
        Assert.AreEqual(50, config.Device.Measure.Runs);
        Assert.AreEqual(0.1, config.Device.Measure.Trim);
        Assert.AreEqual(new AdaptiveMeasureOptions(true, 0.02, 5, 40), config.Device.Measure.Adaptive);
        CollectionAssert.AreEqual(new[] { ObjectiveKind.Accuracy, ObjectiveKind.Latency, ObjectiveKind.Params }, config.Objectives.ToArray());
        Assert.AreEqual(new ConstraintsOptions(2.5, 0.85, 1000000, null, null, 0.04), config.Constraints);
        Assert.AreEqual(2.4, config.Constraints.EffectiveLatencyMs()!.Value, 1e-12);
        Assert.AreEqual(SearchStrategy.WarmStart, config.Search.Strategy);
        Assert.AreEqual(WarmStartMode.FromFile, config.Search.WarmStart);
        Assert.AreEqual(Path.Combine(projDir, "previous", "population.json"), config.Search.WarmStartPath);
        Assert.AreEqual(new PredictorOptions(PredictorKind.Gbdt, PredictorKind.RidgeGbdt), config.Search.Predictors, "accuracy takes the default, ridge-gbdt");
        Assert.AreEqual(1.0 / 20, config.Search.Mutation, "mutation defaults to 1/population");
        Assert.AreEqual(TimeSpan.FromMinutes(90), config.Search.MaxTime);
        Assert.IsTrue(config.Search.StopWhenMet);
        Assert.AreEqual(new OutputOptions(Path.Combine(projDir, "out"), SelectionRule.Knee, true, 5), config.Output);
        Assert.AreEqual(Path.GetFullPath(path), config.SourcePath);
    }

    [TestMethod]
    public void MinimalFileTakesDocumentedDefaults()
    {
        using var folder = new TempFolder();
        var config = HwNasConfigLoader.Load(folder.Write("hwnas.yaml", TestConfigs.Minimal), NoEnvironment);

        Assert.AreEqual(DatasetFormat.Idx, config.Dataset.Format);
        Assert.AreEqual(2000, config.Dataset.CalibrationImages);
        Assert.AreEqual(10000, config.Dataset.ValidationImages);
        CollectionAssert.AreEqual(new[] { 0.5 }, config.Dataset.Mean.ToArray());
        Assert.AreEqual(
            new DeviceOptions("local", null, ExecutionProvider.Cpu, 1, 1, 1, GraphOptimization.All, Precision.Fp32,
                new MeasureOptions(10, 150, 5, 0.2, 3, 25, 0.03, new AdaptiveMeasureOptions(false, 0.02, 15, 150), LatencyStatistic.TrimmedMean)),
            config.Device);
        CollectionAssert.AreEqual(new[] { ObjectiveKind.Accuracy, ObjectiveKind.Latency }, config.Objectives.ToArray());
        Assert.AreEqual(new ConstraintsOptions(null, null, null, null, null), config.Constraints);
        var search = config.Search;
        Assert.AreEqual(SearchStrategy.Concurrent, search.Strategy);
        Assert.AreEqual((50, (int?)null, 100, 200), (search.Population, search.Iterations, search.InnerGenerations, search.Validations));
        Assert.AreEqual((SearchAcquisition.Ehvi, 10, 5, 0.05, 0.3), (search.Acquisition, search.FirstBatch, search.Batch, search.BatchShare, search.Exploration));
        Assert.AreEqual(new PredictorOptions(PredictorKind.Ridge, PredictorKind.RidgeGbdt), search.Predictors);
        Assert.AreEqual(WarmStartMode.Auto, search.WarmStart);
        Assert.IsNull(search.WarmStartPath);
        Assert.AreEqual((0.9, 0.02, 1), (search.Crossover, search.Mutation, search.Seed));
        Assert.IsNull(search.MaxTime);
        Assert.IsFalse(search.StopWhenMet, "a search runs its whole budget unless told to stop when the constraints are met");
        Assert.AreEqual(new OutputOptions(Path.Combine(folder.Path, "hwnas"), SelectionRule.MaxAccuracy, false), config.Output);
        Assert.AreSame(FamilySettings.Empty, config.Supernet.Settings);
    }

    [TestMethod]
    public void ThreeDifferentMistakesAreAllReportedWithLineColumnAndCode()
    {
        var text = """
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
            """;

        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", text);
        var result = HwNasConfigLoader.Validate(path, NoEnvironment);

        var found = result.Diagnostics.Select(d => (d.Code, d.Line, d.Column, d.Key)).OrderBy(d => d.Line).ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                (ConfigDiagnosticCodes.MissingRequiredKey, 1, 1, "supernet.checkpoint"),
                (ConfigDiagnosticCodes.WrongType, 4, 12, "supernet.classes"),
                (ConfigDiagnosticCodes.UnknownKey, 11, 3, "device.provder"),
            },
            found);
        Assert.AreEqual(ExitCode.BadConfig, result.ExitCode);
        var wrongType = result.Diagnostics.Single(d => d.Code == ConfigDiagnosticCodes.WrongType);
        Assert.AreEqual($"{path}(4,12): error HWNAS1002: 'supernet.classes' is 'ten' (a whole number >= 2)", wrongType.ToString());

        var thrown = Assert.ThrowsExactly<HwNasException>(() => HwNasConfigLoader.Load(path, NoEnvironment));
        Assert.AreEqual(ExitCode.BadConfig, thrown.ExitCode);
        Assert.HasCount(3, thrown.Diagnostics);
    }

    [TestMethod]
    public void UnknownKeySuggestsTheClosestSibling()
    {
        var problem = Problems(TestConfigs.Minimal + "\ndevice:\n  measure:\n    warmpu: 5\n").Single();

        Assert.AreEqual(ConfigDiagnosticCodes.UnknownKey, problem.Code);
        StringAssert.Contains(problem.Message, "did you mean 'warmup'?");
        Assert.AreEqual((13, 5), (problem.Line, problem.Column));
        StringAssert.Contains(problem.Expected, "runs");
    }

    [TestMethod]
    public void KeyAtTheWrongLevelSaysWhereItBelongs()
    {
        var problem = Problems(TestConfigs.Minimal + "\nbatch: 4\n").Single();

        Assert.AreEqual(ConfigDiagnosticCodes.UnknownKey, problem.Code);
        StringAssert.Contains(problem.Message, "it belongs at 'device.batch'");
    }

    [TestMethod]
    public void InvalidEnumValueListsTheChoicesAndSuggestsOne()
    {
        var problems = Problems(TestConfigs.Minimal + "\ndevice: { provider: cdua }\nsearch: { strategy: genetic }\n");

        Assert.HasCount(2, problems);
        Assert.IsTrue(problems.All(p => p.Code == ConfigDiagnosticCodes.InvalidEnumValue));
        var provider = problems.Single(p => p.Key == "device.provider");
        StringAssert.Contains(provider.Message, "did you mean 'cuda'?");
        Assert.AreEqual("one of: cpu, cuda, tensorrt, openvino, coreml, directml", provider.Expected);
        Assert.AreEqual((11, 21), (provider.Line, provider.Column));
        StringAssert.Contains(problems.Single(p => p.Key == "search.strategy").Expected, "warm-start");
    }

    [TestMethod]
    public void ReducedPrecisionIsRejectedAsNotSupportedYet()
    {
        var problem = Problems(TestConfigs.Minimal + "\ndevice: { precision: int8 }\n").Single();

        Assert.AreEqual(ConfigDiagnosticCodes.UnsupportedValue, problem.Code);
        StringAssert.Contains(problem.Message, "not supported yet");
    }

    [TestMethod]
    public void OutOfRangeAndMalformedValuesAreEachReported()
    {
        var problems = Problems(TestConfigs.Minimal + """

            device:
              batch: 0
              measure: { trim: 0.5 }
            constraints: { accuracy: "at least 0.8", latency_ms: -1 }
            search: { max_time: soon, crossover: "0.5" }
            """);

        var byKey = problems.ToDictionary(p => p.Key, p => p.Code);
        Assert.AreEqual(ConfigDiagnosticCodes.OutOfRange, byKey["device.batch"]);
        Assert.AreEqual(ConfigDiagnosticCodes.OutOfRange, byKey["device.measure.trim"]);
        Assert.AreEqual(ConfigDiagnosticCodes.OutOfRange, byKey["constraints.latency_ms"]);
        Assert.AreEqual(ConfigDiagnosticCodes.MalformedValue, byKey["constraints.accuracy"]);
        Assert.AreEqual(ConfigDiagnosticCodes.MalformedValue, byKey["search.max_time"]);
        Assert.AreEqual(ConfigDiagnosticCodes.WrongType, byKey["search.crossover"], "a quoted number is text");
        Assert.HasCount(6, problems);
        Assert.AreEqual("a number in [0, 0.5)", problems.Single(p => p.Key == "device.measure.trim").Expected);
    }

    [TestMethod]
    [DataRow("\"<= 2 ms\"", 2.0)]
    [DataRow("'<=0.5ms'", 0.5)]
    [DataRow("\"1.5 ms\"", 1.5)]
    [DataRow("\"<= 3\"", 3.0)]
    [DataRow("<= 2 ms", 2.0)]
    [DataRow("2.5", 2.5)]
    public void LatencyMsTakesTheQuotedBoundFormAccuracyTakes(string written, double expected)
    {
        using var folder = new TempFolder();
        var config = HwNasConfigLoader.Load(
            folder.Write("hwnas.yaml", TestConfigs.Minimal + $"\nconstraints: {{ latency_ms: {written}, accuracy: \">= 0.85\" }}\n"), NoEnvironment);

        Assert.AreEqual(expected, config.Constraints.LatencyMs);
        Assert.AreEqual(0.85, config.Constraints.MinAccuracy);
    }

    [TestMethod]
    public void LatencyMsInAnotherUnitOrAsALowerBoundIsMalformed()
    {
        var problems = Problems(TestConfigs.Minimal + "\nconstraints: { latency_ms: \"<= 2 s\" }\n");
        var lowerBound = Problems(TestConfigs.Minimal + "\nconstraints: { latency_ms: \">= 2 ms\" }\n");
        var negative = Problems(TestConfigs.Minimal + "\nconstraints: { latency_ms: \"<= -1 ms\" }\n");

        var unit = problems.Single(p => p.Key == "constraints.latency_ms");
        Assert.AreEqual(ConfigDiagnosticCodes.MalformedValue, unit.Code);
        StringAssert.Contains(unit.Message, "in s");
        StringAssert.Contains(unit.Expected, "ms");
        Assert.AreEqual(ConfigDiagnosticCodes.MalformedValue, lowerBound.Single(p => p.Key == "constraints.latency_ms").Code);
        StringAssert.Contains(lowerBound.Single().Expected, "\"<= 2 ms\"");
        Assert.AreEqual(ConfigDiagnosticCodes.OutOfRange, negative.Single(p => p.Key == "constraints.latency_ms").Code);
    }

    [TestMethod]
    public void CrossKeyRulesAreChecked()
    {
        var problems = Problems("""
            supernet: { family: mobilenetv3, checkpoint: c, input: [3, 8, 8], classes: 2 }
            dataset: { train: t, val: v, val_labels: vl, mean: [0.1, 0.2] }
            device:
              threads: 2
              intra_op_threads: 3
              measure: { adaptive: { min_runs: 50, max_runs: 10 } }
            objectives: [accuracy, latency, accuracy]
            search: { strategy: warm-start, warm_start: none }
            """);

        var codes = problems.Select(p => (p.Key, p.Code)).ToHashSet();
        Assert.Contains(("dataset.train_labels", ConfigDiagnosticCodes.MissingRequiredKey), codes);
        Assert.Contains(("dataset.mean", ConfigDiagnosticCodes.InconsistentValues), codes);
        Assert.Contains(("device.threads", ConfigDiagnosticCodes.ConflictingKeys), codes);
        Assert.Contains(("device.measure.adaptive.min_runs", ConfigDiagnosticCodes.InconsistentValues), codes);
        Assert.Contains(("objectives", ConfigDiagnosticCodes.InconsistentValues), codes);
        Assert.Contains(("search.warm_start", ConfigDiagnosticCodes.InconsistentValues), codes);
        Assert.HasCount(6, problems);
        var conflict = problems.Single(p => p.Code == ConfigDiagnosticCodes.ConflictingKeys);
        Assert.AreEqual((4, 3), (conflict.Line, conflict.Column));
    }

    [TestMethod]
    public void ObjectivesMustHoldAccuracyAndLatencyAndMayAddStructuralOnes()
    {
        using var folder = new TempFolder();
        var costs = HwNasConfigLoader.Load(folder.Write("costs.yaml", TestConfigs.Minimal + "\nobjectives: [latency, accuracy, macs, size]\n"), NoEnvironment);
        var missing = HwNasConfigLoader.Validate(folder.Write("missing.yaml", TestConfigs.Minimal + "\nobjectives: [accuracy, params]\n"), NoEnvironment);
        var flag = HwNasConfigLoader.Validate(folder.Write("flag.yaml", TestConfigs.Minimal + "\nsearch: { stop_when_met: soon }\n"), NoEnvironment);

        CollectionAssert.AreEqual(new[] { ObjectiveKind.Latency, ObjectiveKind.Accuracy, ObjectiveKind.Macs, ObjectiveKind.Size }, costs.Objectives.ToArray());
        var problem = missing.Diagnostics.Single();
        Assert.AreEqual((ConfigDiagnosticCodes.InconsistentValues, "objectives", TestConfigs.Minimal.Split('\n').Length + 1), (problem.Code, problem.Key, problem.Line));
        StringAssert.Contains(problem.Message, "lacks latency");
        Assert.AreEqual((ConfigDiagnosticCodes.WrongType, "search.stop_when_met"), (flag.Diagnostics.Single().Code, flag.Diagnostics.Single().Key));
    }

    [TestMethod]
    public void EnvironmentVariablesExpandInPathsWithDefaults()
    {
        using var folder = new TempFolder();
        var text = TestConfigs.Minimal
            .Replace("models/supernet.ckpt", "${MODELS}/supernet.ckpt", StringComparison.Ordinal)
            .Replace("data/val.gz", "${DATA:-/fallback}/val.gz", StringComparison.Ordinal);
        var env = new Dictionary<string, string> { ["MODELS"] = "/opt/models" };
        var config = HwNasConfigLoader.Load(folder.Write("hwnas.yaml", text), new ConfigLoadOptions { Environment = env.GetValueOrDefault });

        Assert.AreEqual("/opt/models/supernet.ckpt", config.Supernet.Checkpoint);
        Assert.AreEqual("/fallback/val.gz", config.Dataset.Val);
    }

    [TestMethod]
    public void UndefinedEnvironmentVariableIsNamedAndLocated()
    {
        var text = TestConfigs.Minimal.Replace("data/train.gz", "${HWNAS_TEST_UNSET_DIR}/train.gz", StringComparison.Ordinal);

        var problem = Problems(text).Single();

        Assert.AreEqual(ConfigDiagnosticCodes.UndefinedEnvironmentVariable, problem.Code);
        StringAssert.Contains(problem.Message, "'HWNAS_TEST_UNSET_DIR'");
        Assert.AreEqual((7, 10), (problem.Line, problem.Column));
    }

    [TestMethod]
    public void NamedDeviceProfileIsReadFromTheDevicesFolder()
    {
        using var folder = new TempFolder();
        folder.Write("devices/rpi4.yaml", "provider: cpu\nthreads: 4\nbatch: 1\nmeasure: { runs: 60 }\n");
        folder.Write("devices/server.yaml", "name: big-box\nprovider: cuda\nbatch: 32\n");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\ndevice: rpi4\n");

        var fromFile = HwNasConfigLoader.Load(path, NoEnvironment).Device;
        var overridden = HwNasConfigLoader.Load(path, NoEnvironment with { DeviceProfile = "server" }).Device;

        Assert.AreEqual("rpi4", fromFile.Name, "a profile is named after its file unless it sets a name");
        Assert.AreEqual(Path.Combine(folder.Path, "devices", "rpi4.yaml"), fromFile.ProfilePath);
        Assert.AreEqual((4, 60), (fromFile.IntraOpThreads, fromFile.Measure.Runs));
        Assert.AreEqual(("big-box", ExecutionProvider.Cuda, 32), (overridden.Name, overridden.Provider, overridden.Batch));
    }

    [TestMethod]
    public void ProblemsInsideADeviceProfileNameTheProfileFile()
    {
        using var folder = new TempFolder();
        folder.Write("devices/phone.yaml", "provider: cpu\nbatch: many\n");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\ndevice: phone\n");

        var problem = HwNasConfigLoader.Validate(path, NoEnvironment).Diagnostics.Single();

        Assert.AreEqual(ConfigDiagnosticCodes.WrongType, problem.Code);
        Assert.AreEqual(Path.Combine(folder.Path, "devices", "phone.yaml"), problem.File);
        Assert.AreEqual((2, 8), (problem.Line, problem.Column));
    }

    [TestMethod]
    public void MissingDeviceProfileIsAMissingInput()
    {
        using var folder = new TempFolder();
        var result = ValidateIn(folder, TestConfigs.Minimal + "\ndevice: jetson\n");

        var problem = result.Diagnostics.Single();
        Assert.AreEqual(ConfigDiagnosticCodes.MissingDeviceProfile, problem.Code);
        Assert.AreEqual((11, 9), (problem.Line, problem.Column));
        Assert.AreEqual(ExitCode.MissingInput, result.ExitCode);
    }

    [TestMethod]
    public void ADeviceListNamesProfilesEachLoadedLikeASingleOne()
    {
        using var folder = new TempFolder();
        folder.Write("devices/rpi4.yaml", "provider: cpu\nthreads: 4\n");
        folder.Write("devices/server.yaml", "name: big-box\nprovider: cpu\nthreads: 2\n");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\ndevices: [rpi4, server]\n");

        var file = HwNasConfigLoader.Load(path, NoEnvironment);
        var server = HwNasConfigLoader.Load(path, NoEnvironment with { DeviceProfile = "server" });

        CollectionAssert.AreEqual(new[] { "rpi4", "server" }, file.Devices.ToArray());
        Assert.AreEqual(("big-box", 2), (server.Device.Name, server.Device.IntraOpThreads));
    }

    [TestMethod]
    public void ADeviceListWithAMissingProfileOrBesideADeviceSectionIsReportedWhereItIsWritten()
    {
        using var folder = new TempFolder();
        folder.Write("devices/rpi4.yaml", "provider: cpu\n");

        var missing = ValidateIn(folder, TestConfigs.Minimal + "\ndevices: [rpi4, jetson]\n");
        var both = ValidateIn(folder, TestConfigs.Minimal + "\ndevice: rpi4\ndevices: [rpi4]\n");
        var twice = ValidateIn(folder, TestConfigs.Minimal + "\ndevices: [rpi4, rpi4]\n");

        var problem = missing.Diagnostics.Single();
        Assert.AreEqual((ConfigDiagnosticCodes.MissingDeviceProfile, "devices", 11), (problem.Code, problem.Key, problem.Line));
        StringAssert.Contains(problem.Message, "jetson");
        Assert.AreEqual(ExitCode.MissingInput, missing.ExitCode);
        Assert.AreEqual((ConfigDiagnosticCodes.InconsistentValues, "device"), (both.Diagnostics.Single().Code, both.Diagnostics.Single().Key));
        Assert.AreEqual(ConfigDiagnosticCodes.InconsistentValues, twice.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void MalformedYamlIsLocatedAtTheSyntaxError()
    {
        var problem = Problems("supernet:\n  family: mobilenetv3\n  input: [1, 28, 28\ndataset:\n  train: x\n").Single();

        Assert.AreEqual(ConfigDiagnosticCodes.YamlSyntax, problem.Code);
        Assert.IsTrue(problem.Line is 4 or 5, $"line {problem.Line}");
        Assert.IsGreaterThan(0, problem.Column);
    }

    [TestMethod]
    public void DuplicateKeyIsReported()
    {
        var problem = Problems(TestConfigs.Minimal + "\nsearch:\n  seed: 1\n  seed: 2\n").Single();

        Assert.AreEqual(ConfigDiagnosticCodes.DuplicateKey, problem.Code);
        Assert.AreEqual(13, problem.Line);
    }

    [TestMethod]
    public void EmptyOrNonMappingDocumentIsReported()
    {
        Assert.AreEqual(ConfigDiagnosticCodes.EmptyDocument, Problems("# nothing here\n").Single().Code);
        Assert.AreEqual(ConfigDiagnosticCodes.EmptyDocument, Problems("- a\n- b\n").Single().Code);
    }

    [TestMethod]
    public void MissingConfigFileIsAMissingInput()
    {
        var result = HwNasConfigLoader.Validate(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "hwnas.yaml"));

        Assert.AreEqual(ConfigDiagnosticCodes.ConfigFileNotFound, result.Diagnostics.Single().Code);
        Assert.AreEqual(ExitCode.MissingInput, result.ExitCode);
    }

    [TestMethod]
    public void FileExistenceIsCheckedOnlyWhenAskedFor()
    {
        using var folder = new TempFolder();
        folder.Write("data/train.gz", "x");
        folder.Write("data/train-labels.gz", "x");
        folder.Write("data/val.gz", "x");
        folder.Write("data/val-labels.gz", "x");
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal);

        Assert.IsTrue(HwNasConfigLoader.Validate(path, NoEnvironment).IsValid);
        var checkedResult = HwNasConfigLoader.Validate(path, NoEnvironment with { CheckFiles = true });

        var problem = checkedResult.Diagnostics.Single();
        Assert.AreEqual(ConfigDiagnosticCodes.MissingReferencedFile, problem.Code);
        Assert.AreEqual("supernet.checkpoint", problem.Key);
        Assert.AreEqual((3, 15), (problem.Line, problem.Column));
        Assert.AreEqual(ExitCode.MissingInput, checkedResult.ExitCode);
    }

    [TestMethod]
    public void LocationsLetLaterStagesPointAtAKey()
    {
        using var folder = new TempFolder();
        var path = folder.Write("hwnas.yaml", TestConfigs.Minimal + "\nconstraints:\n  latency_ms: 0.01\n");
        var config = HwNasConfigLoader.Load(path, NoEnvironment);

        var diagnostic = config.Locations.Error("constraints.latency_ms", "HWNAS4001", "no sub-network is this fast", "a larger latency_ms");

        Assert.AreEqual((path, 12, 3), (diagnostic.File, diagnostic.Line, diagnostic.Column));
        Assert.AreEqual(11, config.Locations.Find("constraints.accuracy").Line, "an absent key points at its written parent");
    }
}
