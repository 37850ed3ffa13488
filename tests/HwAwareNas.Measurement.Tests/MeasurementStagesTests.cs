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

        var samples = new LatencyEngine(backend, options, false).Measure(TestModels.Fake("m"), CancellationToken.None).Statistics;

        Assert.AreEqual(8, samples.Count);
    }

    [TestMethod]
    public void Adaptive_NoisyRunsStopWhenTheConfidenceIntervalIsTightEnough()
    {
        // Alternating 0.9/1.1: relative half-width of the 99% CI after n runs (n even) is t(n−1; 0.995)·0.1/√(n−1).
        // n = 30: 2.756·0.1/√29 = 0.0512; n = 31: 0.0504 (odd n, mean 0.9968); n = 32: 2.744·0.1/√31 = 0.0493 ≤ 0.05.
        // The single warm-up run is run 0, so timed runs start at run 1 (1.1 ms) and alternate from there.
        var backend = new FakeInferenceBackend((_, _, run) => run % 2 == 1 ? 0.9 : 1.1);
        var options = TestModels.Measure(warmup: 1) with { Adaptive = new AdaptiveMeasureOptions(true, 0.05, 5, 500) };

        var samples = new LatencyEngine(backend, options, false).Measure(TestModels.Fake("m"), CancellationToken.None).Statistics;

        Assert.AreEqual(32, samples.Count);
    }

    [TestMethod]
    public void Adaptive_NeverExceedsTheMaximum()
    {
        var backend = new FakeInferenceBackend((_, _, run) => run % 2 == 0 ? 1 : 10);
        var options = TestModels.Measure() with { Adaptive = new AdaptiveMeasureOptions(true, 0.001, 5, 40) };

        var samples = new LatencyEngine(backend, options, false).Measure(TestModels.Fake("m"), CancellationToken.None).Statistics;

        Assert.AreEqual(40, samples.Count);
    }

    [TestMethod]
    public void Group_WarmsUpEveryModelThenInterleavesItsTimedRunsInRounds()
    {
        var order = new List<string>();
        var backend = new FakeInferenceBackend((key, _, _) =>
        {
            order.Add(key);
            return 1;
        });
        var engine = new LatencyEngine(backend, TestModels.Measure(warmup: 2, runs: 6, rounds: 2), collectOperatorProfile: false);

        var results = engine.Measure([TestModels.Fake("a"), TestModels.Fake("b")], CancellationToken.None);

        // Warm-up of each (2 runs), then per round and model: 2 re-warm runs and half of the 6 timed runs.
        Assert.AreEqual("aa bb aaaaa bbbbb aaaaa bbbbb", Grouped(order, [2, 2, 5, 5, 5, 5]));
        Assert.AreEqual(6, results[0].Statistics.Count);
        Assert.AreEqual(6, results[1].Statistics.Count);
    }

    [TestMethod]
    public void Rounds_MakeSlowDriftShiftEveryModelAlike()
    {
        // Model b is truly twice as slow as a, and the device slows down by 0.1% per run (e.g. a neighbour's growing load).
        double Ratio(int rounds)
        {
            var clock = 0;
            var backend = new FakeInferenceBackend((key, _, _) => (key == "b" ? 2.0 : 1.0) * (1 + (0.001 * clock++)));
            var engine = new LatencyEngine(backend, TestModels.Measure(warmup: 2, runs: 100, rounds: rounds) with { Trim = 0 }, false);
            var results = engine.Measure([TestModels.Fake("a"), TestModels.Fake("b")], CancellationToken.None);
            return results[1].Statistics.TrimmedMean / results[0].Statistics.TrimmedMean;
        }

        var oneAfterTheOther = Ratio(1);
        var interleaved = Ratio(20);

        Assert.IsGreaterThan(0.05, Math.Abs(oneAfterTheOther - 2.0) / 2.0, $"one after the other: {oneAfterTheOther}");
        Assert.IsLessThan(0.01, Math.Abs(interleaved - 2.0) / 2.0, $"interleaved: {interleaved}");
    }

    [TestMethod]
    public void Adaptive_InRoundsReachesTheMinimumBeforeStopping()
    {
        var backend = FakeInferenceBackend.Constant(2.0);
        var options = TestModels.Measure(warmup: 1, rounds: 4) with { Adaptive = new AdaptiveMeasureOptions(true, 0.01, 8, 500) };

        var results = new LatencyEngine(backend, options, false).Measure([TestModels.Fake("a"), TestModels.Fake("b")], CancellationToken.None);

        Assert.AreEqual(8, results[0].Statistics.Count);
        Assert.AreEqual(8, results[1].Statistics.Count);
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

    private static string Grouped(List<string> order, int[] sizes)
    {
        Assert.AreEqual(sizes.Sum(), order.Count, string.Concat(order));
        var parts = new List<string>();
        var at = 0;
        foreach (var size in sizes)
        {
            parts.Add(string.Concat(order.Skip(at).Take(size)));
            at += size;
        }

        return string.Join(' ', parts);
    }
}
