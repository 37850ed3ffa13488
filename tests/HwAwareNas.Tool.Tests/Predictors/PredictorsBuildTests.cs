using System.Text.Json;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using HwAwareNas.Tool.Tests.Pipeline;

namespace HwAwareNas.Tool.Tests.Predictors;

/// <summary>
/// <c>hwnas predictors build</c> for real on the tiny trained super-network (ORT latency, results store), and the
/// <c>optimize</c> that follows it on the same device picking the stored predictor up.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PredictorsBuildTests
{
    private static readonly string[] SmallLoop = ["--initial", "10", "--step", "5", "--max-samples", "20", "--holdout", "10"];

    [TestMethod]
    public void BuildStoresThePredictorWithoutMeasuringTwice_AndOptimizeUsesIt()
    {
        using var project = new TinyProject();
        var training = project.Train();
        Assert.AreEqual(0, training.ExitCode, training.ToString());
        var config = project.WriteConfig("esm.yaml", "latency_ms: 1000", "esm", strategy: "concurrent");

        // Out of reach: the loop runs until the budget is spent, one round per step, and exits 4 with the predictor stored.
        var spent = Cli.Run(["predictors", "build", "--config", config, "--tau", "0.999", "--mape", "0.01", .. SmallLoop]);

        Assert.AreEqual(ExitCode.NoFeasibleModel, spent.Code, spent.ToString());
        StringAssert.Contains(spent.Out, "round 1: n 10, tau ");
        StringAssert.Contains(spent.Out, "round 2: n 15, tau ");
        StringAssert.Contains(spent.Out, "round 3: n 20, tau ");
        StringAssert.Contains(spent.Out, "targets NOT met: --max-samples spent after 20 samples");
        StringAssert.Contains(spent.Out, "30 latencies measured now, 0 read from the store");
        Assert.DoesNotContain("\r", spent.Out, "redirected output gets plain lines");

        // Reachable targets: the same seed draws the same sub-networks, all answered by the store.
        var met = Cli.Run(["predictors", "build", "--config", config, "--tau", "0", "--mape", "1000", .. SmallLoop]);

        Assert.AreEqual(ExitCode.Success, met.Code, met.ToString());
        StringAssert.Contains(met.Out, "round 1: n 10, tau ");
        Assert.DoesNotContain("round 2", met.Out);
        StringAssert.Contains(met.Out, "targets met after 10 samples (1 round; 0 latencies measured now, 20 read from the store)");
        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(config)))
        {
            var device = store.ListFingerprintKeys().Single();
            var stored = store.TryGetPredictor(device, "mobilenetv3", store.ListMeasurements(device)[0].Key.SettingsHash, "latency_ms");
            Assert.IsNotNull(stored);
            Assert.AreEqual("ridge", stored.Predictor);
            Assert.HasCount(10, stored.Samples);
            Assert.HasCount(10, stored.HoldOut);
            Assert.IsTrue(stored.TargetsMet);
        }

        var optimize = Cli.Run("optimize", config);

        Assert.IsTrue(optimize.Code is ExitCode.Success or ExitCode.NoFeasibleModel, optimize.ToString());
        StringAssert.Contains(optimize.Out, "latency predictor: built ridge (");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(project.Folder, "esm", "results.json")));
        var built = results.RootElement.GetProperty("builtPredictor");
        Assert.AreEqual(10, built.GetProperty("samples").GetInt32());
        Assert.IsTrue(built.GetProperty("targetsMet").GetBoolean());
        StringAssert.Contains(File.ReadAllText(Path.Combine(project.Folder, "esm", "report.md")), "predictors build");
    }

    [TestMethod]
    public void BadLoopSettingsExitTwo()
    {
        var run = Cli.Run("predictors", "build", "--config", "missing.yaml", "--initial", "30", "--max-samples", "20");

        Assert.AreEqual(ExitCode.BadConfig, run.Code, run.ToString());
        StringAssert.Contains(run.Error, "--max-samples must be at least --initial");
    }
}
