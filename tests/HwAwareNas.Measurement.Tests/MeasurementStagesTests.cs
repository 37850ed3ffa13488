using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Measurement.Tests;

[TestClass]
public sealed class MeasurementStagesTests
{
    [TestMethod]
    public void FixedRuns_RunWarmupThenExactlyTheTimedCount()
    {
        // Warm-up runs are slow (1, 2, 3 ms); timed runs take 10 + their index, so the statistics show which runs were timed.
        var backend = new FakeInferenceBackend((_, _, run) => run < 3 ? run + 1 : 10 + (run - 3));
        var engine = new LatencyEngine(backend, TestModels.Measure(warmup: 3, runs: 10), collectOperatorProfile: false);

        var result = engine.Measure(TestModels.Fake("m"), CancellationToken.None);

        Assert.AreEqual(13, backend.Runs);
        Assert.AreEqual(1.0, result.FirstInferenceMs);
        Assert.AreEqual(5.0, result.SessionCreationMs);
        Assert.AreEqual(10, result.Statistics.Count);
        Assert.AreEqual(10.0, result.Statistics.Min);
        Assert.AreEqual(19.0, result.Statistics.Max);
        Assert.AreEqual(14.5, result.Statistics.TrimmedMean, 1e-12); // 12..17
        Assert.IsGreaterThanOrEqualTo(0L, result.PeakWorkingSetBytes);
    }

    [TestMethod]
    public void Adaptive_SteadyRunsStopAtTheMinimum()
    {
        var backend = FakeInferenceBackend.Constant(2.0);
        var options = TestModels.Measure(warmup: 1) with { Adaptive = new AdaptiveMeasureOptions(true, 0.01, 8, 500) };

        var samples = ActualStage.Run(backend.Load(TestModels.Fake("m"), false), options, CancellationToken.None);

        Assert.HasCount(8, samples);
    }

    [TestMethod]
    public void Adaptive_NoisyRunsStopWhenTheConfidenceIntervalIsTightEnough()
    {
        // Alternating 0.9/1.1: relative half-width of the 99% CI after n runs (n even) is t(n−1; 0.995)·0.1/√(n−1).
        // n = 30: 2.756·0.1/√29 = 0.0512; n = 31: 0.0504 (odd n, mean 0.9968); n = 32: 2.744·0.1/√31 = 0.0493 ≤ 0.05.
        var runner = new FakeInferenceBackend((_, _, run) => run % 2 == 0 ? 0.9 : 1.1).Load(TestModels.Fake("m"), false);
        var options = TestModels.Measure() with { Adaptive = new AdaptiveMeasureOptions(true, 0.05, 5, 500) };

        var samples = ActualStage.Run(runner, options, CancellationToken.None);

        Assert.HasCount(32, samples);
    }

    [TestMethod]
    public void Adaptive_NeverExceedsTheMaximum()
    {
        var runner = new FakeInferenceBackend((_, _, run) => run % 2 == 0 ? 1 : 10).Load(TestModels.Fake("m"), false);
        var options = TestModels.Measure() with { Adaptive = new AdaptiveMeasureOptions(true, 0.001, 5, 40) };

        var samples = ActualStage.Run(runner, options, CancellationToken.None);

        Assert.HasCount(40, samples);
    }

    [TestMethod]
    public void StudentT_MatchesPublishedQuantiles()
    {
        Assert.AreEqual(63.657, StudentT.Quantile995(1), 1e-3);
        Assert.AreEqual(2.750, StudentT.Quantile995(30), 1e-3);
        Assert.AreEqual(2.744, StudentT.Quantile995(31), 2e-3);
        Assert.AreEqual(2.704, StudentT.Quantile995(40), 2e-3);
        Assert.AreEqual(2.660, StudentT.Quantile995(60), 2e-3);
        Assert.AreEqual(2.617, StudentT.Quantile995(120), 2e-3);
        Assert.AreEqual(2.576, StudentT.Quantile995(100_000), 2e-3);
    }

    [TestMethod]
    public void Cancellation_StopsBetweenRuns()
    {
        using var cancel = new CancellationTokenSource();
        var backend = new FakeInferenceBackend((_, _, run) =>
        {
            if (run == 4)
            {
                cancel.Cancel();
            }

            return 1;
        });
        var engine = new LatencyEngine(backend, TestModels.Measure(warmup: 2, runs: 100), collectOperatorProfile: false);

        Assert.ThrowsExactly<OperationCanceledException>(() => engine.Measure(TestModels.Fake("m"), cancel.Token));
        Assert.AreEqual(5, backend.Runs);
    }
}
