using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>
/// <c>hwnas optimize</c> end to end on a tiny trained super-network: real training, accuracy, ONNX export, ORT
/// latency, search, verification, selection and reports. Runs serially: the tests share one project and its store.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OptimizePipelineTests
{
    private static TinyProject? project;

    private static TinyProject Project => project ?? throw new InvalidOperationException("ClassInitialize did not run.");

    [ClassInitialize]
    public static void TrainTinySupernet(TestContext context)
    {
        project = new TinyProject();
        var training = Project.Train();
        Assert.AreEqual(0, training.ExitCode, training.ToString());
    }

    [ClassCleanup]
    public static void RemoveProject() => project?.Dispose();

    [TestMethod]
    public async Task OptimizeWritesEveryOutputAndASecondRunMeasuresNothingTwice()
    {
        var output = Path.Combine(Project.Folder, "out");
        var first = await RunAsync(new OptimizeRequest(Project.ConfigPath, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, first.Code, first.Log);
        foreach (var name in new[] { "model.onnx", "report.html", "report.md", "results.json", "pareto.csv", "inference_settings.json" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; wrote: {string.Join(", ", first.Facts!.Written)}");
        }

        Assert.IsTrue(first.Facts!.NewMeasurements > 0, "the first run measures latency");
        Assert.IsTrue(first.Facts.Trials >= 12, $"trials: {first.Facts.Trials}");
        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))))
        using (var session = new InferenceSession(Path.Combine(output, "model.onnx")))
        {
            // Reports give accuracy in percent; the model's metadata keeps the fraction the search used.
            var percent = results.RootElement.GetProperty("selection").GetProperty("selected").GetProperty("accuracy").GetDouble();
            var fraction = double.Parse(session.ModelMetadata.CustomMetadataMap["hwnas.accuracy"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.AreEqual(fraction * 100, percent, 1e-9);
            Assert.IsTrue(fraction is > 0 and <= 1, $"accuracy fraction {fraction}");
            StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), (fraction * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " %");
            var accuracyObjective = results.RootElement.GetProperty("objectives").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "accuracy");
            Assert.AreEqual("%", accuracyObjective.GetProperty("unit").GetString(), "results.json names the unit of its values, percent, not the search's fraction");

            // The numeric self-check passed on this machine before TorchSharp was trusted, and the report says so.
            var numericCheck = results.RootElement.GetProperty("device").GetProperty("numericCheck");
            StringAssert.StartsWith(numericCheck.GetProperty("result").GetString(), "passed");
            StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), "Numeric self-check");
            StringAssert.Contains(first.Log, "numeric self-check passed");
        }

        using (var session = new InferenceSession(Path.Combine(output, "model.onnx")))
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            var genome = metadata.Where(p => p.Key.Contains("genome", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).FirstOrDefault();
            Assert.IsNotNull(genome, string.Join(", ", metadata.Keys));
            StringAssert.Contains(genome, "ks", "the genome is written in OFA notation");
            Assert.IsTrue(metadata.ContainsKey("hwnas.latency_ms"));
            Assert.IsTrue(metadata.ContainsKey("hwnas.device_fingerprint"));

            // The choice was measured a second time; the model carries the worse of its two latencies.
            using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
            var selection = results.RootElement.GetProperty("selection");
            var confirmations = selection.GetProperty("confirmations").EnumerateArray().ToList();
            Assert.IsNotEmpty(confirmations);
            var chosen = confirmations.Single(k => k.GetProperty("genome").GetString() == selection.GetProperty("selected").GetProperty("genome").GetString());
            Assert.IsTrue(chosen.GetProperty("passed").GetBoolean());
            var confirmed = chosen.GetProperty("confirmedLatencyMs").GetDouble();
            Assert.AreEqual(Math.Max(chosen.GetProperty("searchLatencyMs").GetDouble(), chosen.GetProperty("secondLatencyMs").GetDouble()), confirmed);
            Assert.AreEqual(confirmed, selection.GetProperty("selected").GetProperty("latencyMs").GetDouble());
            Assert.AreEqual(confirmed, double.Parse(metadata["hwnas.latency_ms"], System.Globalization.CultureInfo.InvariantCulture));
        }

        var second = await RunAsync(new OptimizeRequest(Project.ConfigPath, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, second.Code, second.Log);
        Assert.AreEqual(0, second.Facts!.NewMeasurements, "every latency comes from the store");
        Assert.IsTrue(second.Facts.ResumedTrials >= 12, $"the study is resumed: {second.Facts.ResumedTrials} trials");
        Assert.AreEqual(first.Facts.Selected!.Key, second.Facts.Selected!.Key);
    }

    [TestMethod]
    public async Task OneRunForTwoDevicesValidatesEachSubnetworkOnceAndWritesAModelPerDeviceAndASummary()
    {
        // Two devices on this machine that differ in their thread settings, each with a budget relative to its own
        // largest sub-network. Fewer validation images than the other tests, so no accuracy comes from their runs.
        var config = Project.WriteConfig("devices.yaml", "latency_fraction: 0.9", "devices");
        File.WriteAllText(config, File.ReadAllText(config).Replace("validation_images: 100", "validation_images: 90", StringComparison.Ordinal));
        Project.WriteDeviceProfile("cpu-a", intraOpThreads: 1);
        Project.WriteDeviceProfile("cpu-b", intraOpThreads: 2);
        var request = new OptimizeRequest(config, null, null, null, null, MsBuildLog: false) { Devices = ["cpu-a", "cpu-b"] };

        var first = await RunAsync(request);

        Assert.AreEqual(ExitCode.Success, first.Code, first.Log);
        var facts = first.Facts!;
        CollectionAssert.AreEqual(new[] { "cpu-a", "cpu-b" }, facts.Devices.Select(d => d.Name).ToArray());

        // Accuracy is validated once per sub-network (the trials, plus the largest for the relative budgets), not per device.
        Assert.IsTrue(
            facts.AccuracyValidations >= facts.Trials && facts.AccuracyValidations <= facts.Trials + 1,
            $"{facts.AccuracyValidations} accuracy validations for {facts.Trials} trials on 2 devices");
        Assert.IsGreaterThanOrEqualTo(facts.Trials, facts.Devices[1].NewMeasurements, "cpu-b (two threads) is new here: every trial is measured on it");

        var output = Path.Combine(Project.Folder, "devices");
        foreach (var device in new[] { "cpu-a", "cpu-b" })
        {
            foreach (var name in new[] { "model.onnx", "report.html", "report.md", "results.json", "inference_settings.json" })
            {
                Assert.IsTrue(File.Exists(Path.Combine(output, device, name)), $"{device}/{name} missing; wrote: {string.Join(", ", facts.Written)}");
            }

            using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, device, "results.json")));
            Assert.AreEqual(device, results.RootElement.GetProperty("device").GetProperty("name").GetString());
            var selected = results.RootElement.GetProperty("selection").GetProperty("selected");
            Assert.IsLessThanOrEqualTo(LatencyConstraint(results).GetProperty("bound").GetDouble(), selected.GetProperty("latencyMs").GetDouble());
            var baselines = results.RootElement.GetProperty("baselines").EnumerateArray().ToList();
            CollectionAssert.AreEqual(
                new[] { "uniform 1/2 (smallest)", "uniform 2/2 (largest)" }, baselines.Select(b => b.GetProperty("name").GetString()).ToArray());
            Assert.IsTrue(baselines.All(b => b.GetProperty("candidate").GetProperty("accuracy").GetDouble() > 0 && b.GetProperty("heldLatencyMs").GetDouble() > 0));
            using var model = new InferenceSession(Path.Combine(output, device, "model.onnx"));
            Assert.AreEqual(
                results.RootElement.GetProperty("device").GetProperty("fingerprintKey").GetString(), model.ModelMetadata.CustomMetadataMap["hwnas.device_fingerprint"]);
        }

        Assert.IsFalse(File.Exists(Path.Combine(output, "model.onnx")), "a device list writes one folder per device");
        var summary = File.ReadAllText(Path.Combine(output, "summary.md"));
        StringAssert.Contains(summary, "| cpu-a | `");
        StringAssert.Contains(summary, "| cpu-b | `");
        StringAssert.Contains(summary, $"{facts.AccuracyValidations} accuracy validations");
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))))
        {
            var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToList();
            Assert.HasCount(2, devices);
            var sameGenome = devices[0].GetProperty("selected").GetProperty("genome").GetString() == devices[1].GetProperty("selected").GetProperty("genome").GetString();
            Assert.AreEqual(sameGenome ? "cpu-a" : null, devices[1].GetProperty("same_as").GetString(), "the summary says when two devices got the same sub-network");
        }

        var second = await RunAsync(request);

        Assert.AreEqual(ExitCode.Success, second.Code, second.Log);
        Assert.AreEqual(0, second.Facts!.AccuracyValidations + second.Facts.BaselineValidations, "every accuracy comes from the store");
        Assert.AreEqual(0, second.Facts.NewMeasurements, "every latency comes from the store");
        CollectionAssert.AreEqual(facts.Devices.Select(d => d.Selected?.Key).ToArray(), second.Facts.Devices.Select(d => d.Selected?.Key).ToArray());
    }

    [TestMethod]
    public async Task ADeviceListWithAMissingProfileStopsBeforeAnythingIsWritten()
    {
        var config = Project.WriteConfig("missing-device.yaml", "latency_ms: 1000", "missing-device");
        Project.WriteDeviceProfile("cpu-a", intraOpThreads: 1);

        var run = await Assert.ThrowsExactlyAsync<HwNasException>(
            () => RunAsync(new OptimizeRequest(config, null, null, null, null, MsBuildLog: false) { Devices = ["cpu-a", "no-such-device"] }));

        Assert.AreEqual(ExitCode.MissingInput, run.ExitCode, run.Message);
        StringAssert.Contains(run.Message, "no-such-device");
        Assert.IsFalse(Directory.Exists(Path.Combine(Project.Folder, "missing-device")));
    }

    [TestMethod]
    public async Task LatencyMarginTightensTheBudgetTheSearchAndSelectionUse()
    {
        var config = Project.WriteConfig("margin.yaml", "latency_ms: 1000\n  latency_margin: 0.25", "margin", strategy: "random");

        var run = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, run.Code, run.Log);
        using var results = ResultsOf("margin");
        var latency = LatencyConstraint(results);
        Assert.AreEqual(750, latency.GetProperty("bound").GetDouble(), 1e-9);
        StringAssert.Contains(latency.GetProperty("note").GetString(), "latency_margin");
        StringAssert.Contains(File.ReadAllText(Path.Combine(Project.Folder, "margin", "report.md")), "latency &lt;= 750 ms (latency\\_ms 1000 ms less the 25% latency\\_margin)");
    }

    [TestMethod]
    public async Task LatencyFractionResolvesAgainstTheLargestSubnetworkOnThisDevice()
    {
        var config = Project.WriteConfig("fraction.yaml", "latency_fraction: 0.8", "fraction", strategy: "random");

        var run = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));

        Assert.IsTrue(run.Code is ExitCode.Success or ExitCode.NoFeasibleModel, run.Log);
        using var results = ResultsOf("fraction");
        var latency = LatencyConstraint(results);
        var note = latency.GetProperty("note").GetString()!;
        var largest = double.Parse(
            System.Text.RegularExpressions.Regex.Match(note, @"largest sub-network's ([0-9.]+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(0.8 * largest, latency.GetProperty("bound").GetDouble(), 1e-4, note);
        if (run.Code == ExitCode.Success)
        {
            Assert.IsLessThanOrEqualTo(latency.GetProperty("bound").GetDouble(), results.RootElement.GetProperty("selection").GetProperty("selected").GetProperty("latencyMs").GetDouble());
        }
    }

    [TestMethod]
    public async Task ALatencyFractionStudyIsResumedAfterTheLargestSubnetworkWasMeasuredAgain()
    {
        var config = Project.WriteConfig("fraction-twice.yaml", "latency_fraction: 0.9", "fraction-twice", strategy: "random");
        var first = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));
        Assert.IsTrue(first.Code is ExitCode.Success or ExitCode.NoFeasibleModel, first.Log);
        double BoundOf(JsonDocument results) => LatencyConstraint(results).GetProperty("bound").GetDouble();
        double firstBound;
        using (var results = ResultsOf("fraction-twice"))
        {
            firstBound = BoundOf(results);
        }

        // What a drift check does to a reference sub-network: its stored measurement is replaced by a new, different one.
        var family = FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.25,ks=3/5,e=2/4,d=1/2")));
        var largest = family.Canonicalize(family.Largest()).Key;
        using (var store = Core.Results.ResultsStore.Open(Core.Results.ResultsStore.DefaultPath(config)))
        {
            var remeasured = store.ListFingerprintKeys().SelectMany(store.ListMeasurements).Where(m => m.Key.GenomeKey == largest).ToList();
            Assert.IsNotEmpty(remeasured, "the largest sub-network was measured to resolve the fraction");
            foreach (var m in remeasured)
            {
                var s = m.Statistics;
                store.SaveMeasurement(m with { Statistics = s with { TrimmedMean = s.TrimmedMean * 1.05, Median = s.Median * 1.05, P10 = s.P10 * 1.05, P90 = s.P90 * 1.05 } });
            }
        }

        var second = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));

        Assert.AreEqual(first.Code, second.Code, second.Log);
        Assert.AreEqual(0, second.Facts!.NewMeasurements, "nothing is measured twice: the study, keyed by the fraction, is resumed");
        Assert.IsGreaterThanOrEqualTo(6, second.Facts.ResumedTrials, second.Log);
        using (var results = ResultsOf("fraction-twice"))
        {
            Assert.AreEqual(firstBound, BoundOf(results), "the bound is the study's, resolved when it began");
        }
    }

    [TestMethod]
    public void AnOutputFolderThatCannotBeWrittenIsRefusedBeforeTheSearch()
    {
        var file = Path.Combine(Project.Folder, "not-a-folder");
        File.WriteAllText(file, "x");
        var output = Path.Combine(file, "out");

        var result = Cli.Run("optimize", Project.ConfigPath, "-o", output);

        Assert.AreEqual(ExitCode.NotAccessible, result.Code, result.ToString());
        StringAssert.StartsWith(result.Error, $"hwnas: error: The output folder '{output}' cannot be written");
        Assert.IsFalse(result.Out.Contains("hwnas: search", StringComparison.Ordinal), "refused before the search: " + result.Out);
        Assert.IsFalse(result.Error.Contains("Exception", StringComparison.Ordinal), result.Error);
    }

    [TestMethod]
    [DataRow("hwnas: cross-validating the predictors")]
    [DataRow("hwnas: writing the model and the reports")]
    public async Task CancellingWhileTheReportIsPreparedStopsPromptlyAndLeavesTheOutputsAlone(string stageLine)
    {
        var config = Project.WriteConfig("cancel.yaml", "latency_ms: 1000", "cancel", strategy: "random");
        var output = Path.Combine(Project.Folder, "cancel");
        using var cancellation = new CancellationTokenSource();
        var cancelledAt = System.Diagnostics.Stopwatch.StartNew();
        var console = new CapturedConsole(new TriggerWriter(stageLine, () =>
        {
            cancelledAt.Restart();
            cancellation.Cancel();
        }));

        await Assert.ThrowsExactlyAsync<OperationCanceledException>(() => new OptimizePipeline(console).RunAsync(
            new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false), cancellation.Token));

        cancelledAt.Stop();
        Assert.IsTrue(cancellation.IsCancellationRequested, "the stage line was printed: " + console.Output);
        Assert.IsLessThan(5, cancelledAt.Elapsed.TotalSeconds, "stopped at the next step");
        Assert.IsFalse(Directory.Exists(output) && Directory.EnumerateFiles(output).Any(), "a cancelled run writes no outputs");
        Assert.IsFalse(Directory.EnumerateDirectories(Project.Folder, ".cancel.tmp-*").Any(), "nor leaves its temporary folder");
    }

    [TestMethod]
    public async Task AnImpossibleBudgetStopsAfterTheAnchorsWithExitFourTheReportAndUnits()
    {
        // latency_ms in the quoted form constraints.accuracy takes; 0.001 ms less a 3 % margin is 0.0009699999999999999 in binary.
        var config = Project.WriteConfig("hopeless.yaml", "latency_ms: \"<= 0.001 ms\"\n  latency_margin: 0.03", "hopeless");
        var output = Path.Combine(Project.Folder, "hopeless");

        var run = await RunAsync(new OptimizeRequest(config, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.NoFeasibleModel, run.Code, run.Log);
        Assert.IsTrue(File.Exists(Path.Combine(output, "report.html")));
        using var results = ResultsOf("hopeless");
        var search = results.RootElement.GetProperty("search");
        Assert.AreEqual(6, search.GetProperty("validationsUsed").GetInt32(), "the first generation, with the smallest sub-network, and no more of the 12");
        StringAssert.StartsWith(search.GetProperty("stopReason").GetString(), "stopped early: the smallest sub-network");
        StringAssert.Contains(run.Log, "no sub-network meets the constraints (latency <= 0.00097 ms)");
        StringAssert.Contains(run.Log, "the search stopped early");
        Assert.IsFalse(run.Log.Contains("0.000969999", StringComparison.Ordinal), run.Log);
    }

    [TestMethod]
    public void SigtermStopsAChildProcessLikeCtrlCWithTheCancelledLineAndCodeAndTheStoreIntact()
    {
        var config = Project.WriteConfig("sigterm.yaml", "latency_ms: 1000", "sigterm", strategy: "random");
        // A shell starts the tool and signals it: it sends SIGTERM to its own child, as a CI runner does to a job. The run
        // opens its output's temporary folder before it measures; five seconds later it is mid-search (500 validations
        // take about a minute here).
        var script = $$"""
            dotnet "$0" optimize "$1" --validations 500 --log-format msbuild &
            pid=$!
            for i in $(seq 600); do ls -d "$2"/.sigterm.tmp-* >/dev/null 2>&1 && break; sleep 0.1; done
            sleep 5
            kill -0 $pid || exit 99
            kill -TERM $pid
            wait $pid
            """;
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, Path.Combine(AppContext.BaseDirectory, "HwAwareNas.Tool.dll"), config, Project.Folder })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(120)), "SIGTERM ends the run");
        var stderr = error.Result;

        Assert.AreEqual((int)ExitCode.Cancelled, process.ExitCode, stderr + output.Result);
        StringAssert.Contains(stderr, "hwnas: SIGTERM: cancelling…");
        StringAssert.Contains(stderr, "hwnas: cancelled");
        using var store = Core.Results.ResultsStore.Open(Core.Results.ResultsStore.DefaultPath(config));
        Assert.AreEqual("ok", store.CheckIntegrity());
        Assert.IsFalse(Directory.EnumerateDirectories(Project.Folder, ".sigterm.tmp-*").Any(), "the run removed its temporary folder");
    }

    /// <summary>A captured console that calls <c>onLine</c> once a line starting with <c>trigger</c> is written.</summary>
    /// <summary>Standard output that calls <paramref name="onLine"/> once, when a line starting with <paramref name="trigger"/> is written.</summary>
    private sealed class TriggerWriter(string trigger, Action onLine) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private bool _fired;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (!_fired && value?.StartsWith(trigger, StringComparison.Ordinal) == true)
            {
                _fired = true;
                onLine();
            }
        }
    }

    private static JsonDocument ResultsOf(string outputDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Project.Folder, outputDir, "results.json")));

    private static JsonElement LatencyConstraint(JsonDocument results) =>
        results.RootElement.GetProperty("constraints").EnumerateArray().Single(c => c.GetProperty("objective").GetString() == "latency");

    [TestMethod]
    public async Task ImpossibleLatencyExitsFourWithTheReportAndNoModel()
    {
        var config = Project.WriteConfig("impossible.yaml", "latency_ms: 0.0001", "impossible", strategy: "random");
        var output = Path.Combine(Project.Folder, "impossible");

        var run = await RunAsync(new OptimizeRequest(config, null, null, Validations: 6, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.NoFeasibleModel, run.Code, run.Log);
        Assert.IsTrue(File.Exists(Path.Combine(output, "report.html")));
        Assert.IsTrue(File.Exists(Path.Combine(output, "results.json")));
        Assert.IsFalse(File.Exists(Path.Combine(output, "model.onnx")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), "latency");
        StringAssert.Contains(run.Log, "no sub-network meets the constraints");
    }

    [TestMethod]
    public async Task ParamsAsAnObjectiveReachesTheFrontTheFilesAndTheStageTimes()
    {
        var output = Path.Combine(Project.Folder, "params");
        var config = Project.WriteConfig(
            "params.yaml", "latency_ms: 1000\n  params: 100000000", "params", strategy: "concurrent", objectives: "[accuracy, latency, params]");

        var run = await RunAsync(new OptimizeRequest(config, null, null, null, null, MsBuildLog: false));

        Assert.AreEqual(ExitCode.Success, run.Code, run.Log);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var root = results.RootElement;
        CollectionAssert.AreEqual(
            new[] { "accuracy", "latency", "params" },
            root.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToArray());
        CollectionAssert.Contains(
            root.GetProperty("constraints").EnumerateArray().Select(c => c.GetProperty("objective").GetString()).ToArray(), "params");
        var front = root.GetProperty("verifiedFront").EnumerateArray().ToList();
        Assert.IsNotEmpty(front);
        Assert.IsTrue(front.All(c => c.GetProperty("params").GetInt64() > 0));
        var pareto = File.ReadAllLines(Path.Combine(output, "pareto.csv"));
        Assert.HasCount(front.Count + 1, pareto);
        StringAssert.Contains(pareto[0], "params");

        var search = root.GetProperty("search");
        Assert.AreEqual(12, search.GetProperty("validationsUsed").GetInt32());
        Assert.AreEqual(12, search.GetProperty("validationBudget").GetInt32());
        Assert.IsFalse(search.GetProperty("stopWhenMet").GetProperty("enabled").GetBoolean());
        Assert.AreEqual(1, search.GetProperty("stopWhenMet").GetProperty("validationsWhenMet").GetInt32(), "a 1000 ms budget is met at once");
        Assert.AreEqual("validation budget used", search.GetProperty("stopReason").GetString());
        StringAssert.StartsWith(root.GetProperty("selection").GetProperty("reason").GetString(), "Selected {\"", "the reason names the genome in OFA notation");

        // Every stage is timed; concurrent search fits its predictors, and the stages never add up to more than the run.
        var stages = root.GetProperty("stages").EnumerateArray().ToDictionary(t => t.GetProperty("stage").GetString()!, t => t);
        CollectionAssert.AreEqual(new[] { "Train", "Profile", "Fit", "Search", "Verify", "Export", "Report" }, stages.Keys.ToArray());
        foreach (var stage in new[] { "Train", "Profile", "Fit", "Search", "Export", "Report" })
        {
            Assert.IsGreaterThan(0, stages[stage].GetProperty("seconds").GetDouble(), stage);
            Assert.IsFalse(string.IsNullOrEmpty(stages[stage].GetProperty("detail").GetString()), stage);
        }

        // The expected-hypervolume acquisition (the default) measures a first batch of 6 (half the 12 validations), then
        // rounds of 5 and 1, refitting both predicted objectives before each.
        StringAssert.Contains(stages["Fit"].GetProperty("detail").GetString(), "4 predictor fits during the search");
        Assert.IsLessThanOrEqualTo(root.GetProperty("durationSeconds").GetDouble(), stages.Values.Sum(t => t.GetProperty("seconds").GetDouble()));
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        StringAssert.Contains(report, "| Validations | 12 of 12 |");
        StringAssert.Contains(report, "non-dominated in all 3 objectives");
    }

    [TestMethod]
    public void StopWhenMetEndsTheSearchAfterTheBatchThatMetTheConstraints()
    {
        var output = Path.Combine(Project.Folder, "stop");
        var config = Project.WriteConfig("stop.yaml", "latency_ms: 1000", "stop", strategy: "random");

        var run = Cli.Run("optimize", config, "--stop-when-met");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Out, "stopping once the constraints are met");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var search = results.RootElement.GetProperty("search");
        Assert.AreEqual(6, search.GetProperty("validationsUsed").GetInt32(), "one population-sized batch of the 12 validations");
        Assert.AreEqual(12, search.GetProperty("validationBudget").GetInt32());
        var stop = search.GetProperty("stopWhenMet");
        Assert.IsTrue(stop.GetProperty("enabled").GetBoolean());
        Assert.IsTrue(stop.GetProperty("triggered").GetBoolean());
        Assert.AreEqual(1, stop.GetProperty("validationsWhenMet").GetInt32());
        StringAssert.StartsWith(search.GetProperty("stopReason").GetString(), "constraints met");
        Assert.IsTrue(File.Exists(Path.Combine(output, "model.onnx")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), "| Stop when constraints met | on, triggered: the search stopped |");
    }

    [TestMethod]
    public void MissingCheckpointExitsThreeAndWritesNothing()
    {
        using var empty = new TinyProject();

        var result = Cli.Run("optimize", empty.ConfigPath);

        Assert.AreEqual(ExitCode.MissingInput, result.Code, result.ToString());
        StringAssert.Contains(result.Error, "supernet.ckpt");
        CollectionAssert.AreEquivalent(new[] { "hwnas.yaml" }, Directory.GetFileSystemEntries(empty.Folder).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void ProfilePrintsATableAndAPositiveRankCorrelationBetweenMacsAndLatency()
    {
        // Eight sub-networks from smallest to largest: each takes more of its genes from the largest one.
        var family = FamilyRegistry.Create(
            "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.25,ks=3/5,e=2/4,d=1/2")));
        var smallest = family.Smallest();
        var largest = family.Largest();
        var lines = Enumerable.Range(0, 8).Select(k =>
        {
            var genome = smallest;
            for (var i = 0; i < smallest.Length * k / 7; i++)
            {
                genome = genome.With(i, largest[i]);
            }

            return family.ToOfaNotation(genome);
        });
        var file = Path.Combine(Project.Folder, "genomes.txt");
        File.WriteAllLines(file, lines);

        var table = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", file);
        var json = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", file, "--json");

        Assert.AreEqual(0, table.ExitCode, table.ToString());
        StringAssert.Contains(table.Out, "Spearman rho(MACs, latency)");
        StringAssert.Contains(table.Out, "trimmed ms");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var rows = document.RootElement.GetProperty("rows");
        Assert.AreEqual(8, rows.GetArrayLength());
        Assert.IsTrue(rows.EnumerateArray().All(r => r.GetProperty("from_store").GetBoolean()), "the second survey reads every latency from the store");
        var rho = document.RootElement.GetProperty("spearman_macs_latency").GetDouble();
        Assert.IsTrue(rho > 0, $"rho = {rho}{Environment.NewLine}{table.Out}");

        // A file that holds no genomes is a bad argument, and the message names the option.
        var notGenomes = Path.Combine(Project.Folder, "not-genomes.txt");
        File.WriteAllLines(notGenomes, ["largest", "smallest"]);
        var bad = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", notGenomes);
        Assert.AreEqual(ExitCode.BadConfig, bad.Code, bad.ToString());
        StringAssert.Contains(bad.Error + bad.Out, "--genomes: ");

        // One sub-network has no rank correlation: the table says so and the JSON holds null, not NaN.
        var one = Path.Combine(Project.Folder, "one-genome.txt");
        File.WriteAllLines(one, [lines.First()]);
        var single = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", one);
        var singleJson = Cli.Run("profile", "--config", Project.ConfigPath, "--genomes", one, "--json");
        Assert.AreEqual(0, single.ExitCode, single.ToString());
        StringAssert.Contains(single.Out, "Spearman rho(MACs, latency) = n/a");
        using var singleDocument = JsonDocument.Parse(singleJson.Out);
        Assert.AreEqual(JsonValueKind.Null, singleDocument.RootElement.GetProperty("spearman_macs_latency").ValueKind);
    }

    [TestMethod]
    public void TheYamlAndTheCommandLineReadDurationsAlike()
    {
        // search.max_time in hwnas.yaml and --max-time (and so HwNasMaxTime) share one grammar.
        var accepted = new (string Text, TimeSpan Expected)[]
        {
            ("90", TimeSpan.FromSeconds(90)), ("1.5", TimeSpan.FromSeconds(1.5)), ("90s", TimeSpan.FromSeconds(90)),
            ("10m", TimeSpan.FromMinutes(10)), ("1.5h", TimeSpan.FromHours(1.5)), ("1h30m", TimeSpan.FromMinutes(90)),
            ("2m30s", TimeSpan.FromSeconds(150)), ("01:30:00", TimeSpan.FromMinutes(90)), ("0:00:45", TimeSpan.FromSeconds(45)),
        };
        foreach (var (text, expected) in accepted)
        {
            Assert.AreEqual(expected, Commands.OptimizeCommand.ParseDuration(text), $"--max-time {text}");
            Assert.AreEqual(expected, Project.LoadWithMaxTime(text).Search.MaxTime, $"search.max_time: {text}");
        }

        foreach (var text in new[] { "soon", "1d", "h", "30m1h", "7:" })
        {
            Assert.AreEqual(ExitCode.BadConfig, Assert.ThrowsExactly<HwNasException>(() => Commands.OptimizeCommand.ParseDuration(text)).ExitCode, text);
            var error = Assert.ThrowsExactly<HwNasException>(() => Project.LoadWithMaxTime(text), text);
            Assert.IsTrue(error.Diagnostics.Any(d => d.Message.Contains("not a duration", StringComparison.Ordinal)), $"{text}: {string.Join("; ", error.Diagnostics.Select(d => d.Message))}");
        }

        Assert.IsNull(Commands.OptimizeCommand.ParseDuration(null));
    }

    private static async Task<PipelineRun> RunAsync(OptimizeRequest request)
    {
        var console = new CapturedConsole();
        var pipeline = new OptimizePipeline(console);
        var code = await pipeline.RunAsync(request, CancellationToken.None);
        return new PipelineRun(code, pipeline.LastRun, console.Output.ToString() + console.ErrorOutput);
    }

    private sealed record PipelineRun(ExitCode Code, OptimizeRunFacts? Facts, string Log);
}
