using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement.Tests;

[TestClass]
public sealed class LatencyProfilerTests
{
    private DirectoryInfo _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("hwnas-profiler-");

    [TestCleanup]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    private string StorePath => Path.Combine(_folder.FullName, "results.db");

    [TestMethod]
    public async Task SecondProfileOfTheSameModels_RunsNothingAndReadsTheStore()
    {
        ProfileRequest[] models = [TestModels.Fake("a"), TestModels.Fake("b"), TestModels.Fake("c")];
        var backend = new FakeInferenceBackend((key, _, _) => key[0] - 'a' + 1.0);
        using var store = ResultsStore.Open(StorePath);
        var options = new LatencyProfilerOptions(TestModels.Measure(warmup: 2, runs: 10), []);

        var first = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);
        var runsAfterFirst = backend.Runs;
        var second = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);

        // Per model: 2 warm-up, 2 re-warm (the three are measured as one interleaved group) and 10 timed runs.
        Assert.AreEqual(3 * 14, runsAfterFirst);
        Assert.AreEqual(runsAfterFirst, backend.Runs, "a store hit must not run the model");
        Assert.IsTrue(first.All(m => !m.FromStore));
        Assert.IsTrue(second.All(m => m.FromStore));
        CollectionAssert.AreEqual(new[] { 1.0, 2.0, 3.0 }, second.Select(m => m.LatencyMs).ToArray());
        CollectionAssert.AreEqual(first.Select(m => m.Record).ToArray(), second.Select(m => m.Record).ToArray());
        Assert.IsNotNull(store.TryGetDeviceDescription(TestModels.Fingerprint.Key));
    }

    [TestMethod]
    public async Task ConfiguredStatistic_IsTheLatency_AndAStoredRowWithoutItIsMeasuredAgain()
    {
        // Timed runs 1..10 ms (after 2 warm-up runs): trimmed mean 5.5, p10 1.9, min 1.
        var backend = new FakeInferenceBackend((_, _, run) => Math.Max(1, run - 1));
        using var store = ResultsStore.Open(StorePath);
        LatencyProfilerOptions Options(LatencyStatistic statistic) =>
            new(TestModels.Measure(warmup: 2, runs: 10) with { Statistic = statistic }, []);

        var p10 = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, Options(LatencyStatistic.P10), store)
            .ProfileAsync([TestModels.Fake("a")], null, CancellationToken.None);
        var min = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, Options(LatencyStatistic.Min), store)
            .ProfileAsync([TestModels.Fake("a")], null, CancellationToken.None);

        Assert.AreEqual(1.9, p10[0].LatencyMs, 1e-12);
        Assert.AreEqual(1.0, min[0].LatencyMs);
        Assert.IsTrue(min[0].FromStore, "every statistic is stored, so another choice needs no new measurement");
        Assert.AreEqual(1, backend.Loads("a"));

        // A row from before the 10th percentile was kept cannot answer p10: it is measured again.
        var stored = store.TryGetMeasurement(p10[0].Record.Key)!;
        store.SaveMeasurement(stored with { Statistics = stored.Statistics with { P10 = double.NaN } });
        var again = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, Options(LatencyStatistic.P10), store)
            .ProfileAsync([TestModels.Fake("a")], null, CancellationToken.None);

        Assert.IsFalse(again[0].FromStore);
        Assert.AreEqual(2, backend.Loads("a"));
        Assert.AreEqual(1.9, again[0].LatencyMs, 1e-12);
    }

    [TestMethod]
    public async Task OnlyMissingModelsAreMeasured_AndResultsKeepTheRequestOrder()
    {
        using var store = ResultsStore.Open(StorePath);
        var options = new LatencyProfilerOptions(TestModels.Measure(), []);
        var backend = new FakeInferenceBackend((key, _, _) => key.Length);
        var profiler = new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store);
        await profiler.ProfileAsync([TestModels.Fake("x"), TestModels.Fake("yy")], null, CancellationToken.None);

        var results = await profiler.ProfileAsync(
            [TestModels.Fake("zzz"), TestModels.Fake("x"), TestModels.Fake("zzz"), TestModels.Fake("yy")], null, CancellationToken.None);

        Assert.AreEqual(1, backend.Loads("zzz"), "a model asked for twice in a batch is measured once");
        Assert.AreEqual(1, backend.Loads("x"));
        CollectionAssert.AreEqual(new[] { "zzz", "x", "zzz", "yy" }, results.Select(r => r.Request.GenomeKey).ToArray());
        CollectionAssert.AreEqual(new[] { false, true, false, true }, results.Select(r => r.FromStore).ToArray());
        Assert.AreEqual(3.0, results[0].LatencyMs);
    }

    [TestMethod]
    public async Task Progress_CountsUpToTheTotalWithAnEstimate()
    {
        var reports = new List<ProfileProgress>();
        var profiler = new OrtLatencyProfiler(
            FakeInferenceBackend.Constant(1), TestModels.Fingerprint, new LatencyProfilerOptions(TestModels.Measure(), []), null);

        ProfileRequest[] models = [.. Enumerable.Range(0, 20).Select(i => TestModels.Fake($"m{i:00}"))];

        await profiler.ProfileAsync(models, new SynchronousProgress(reports.Add), CancellationToken.None);

        // Models are measured in interleaved groups of 16; progress follows each finished group.
        CollectionAssert.AreEqual(new[] { 16, 20 }, reports.Select(r => r.Done).ToArray());
        Assert.IsTrue(reports.All(r => r.Total == 20 && r.Remaining is not null));
        Assert.IsGreaterThan(TimeSpan.Zero, reports[0].Remaining!.Value);
        Assert.AreEqual(TimeSpan.Zero, reports[^1].Remaining);
        Assert.AreEqual("m19", reports[^1].Current);
    }

    [TestMethod]
    public async Task SlowedReference_MarksTheMeasurementsSinceTheLastGoodCheckAndRemeasuresThem()
    {
        // The reference takes 1 ms except on its third measurement (the second drift check), which is 20% slower.
        // When m2 is loaded again, the store's suspect rows are recorded: the re-measurement must follow the flagging.
        using var store = ResultsStore.Open(StorePath);
        var suspectSeen = new List<string>();
        var backend = new FakeInferenceBackend((key, load, run) =>
        {
            if (key == "m2" && load == 1 && run == 0)
            {
                suspectSeen.AddRange(store.ListMeasurements(TestModels.Fingerprint.Key).Where(m => m.Suspect).Select(m => m.Key.GenomeKey));
            }

            return key == "ref" ? (load == 2 ? 1.2 : 1.0) : 3.0;
        });
        var options = new LatencyProfilerOptions(TestModels.Measure(referenceEvery: 2, maxVariance: 0.03), [TestModels.Fake("ref")]);
        var profiler = new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store);
        ProfileRequest[] models = [.. Enumerable.Range(0, 6).Select(i => TestModels.Fake($"m{i}"))];

        var results = await profiler.ProfileAsync(models, null, CancellationToken.None);

        // Baseline, then checks after m0–m1 (pass), m2–m3 (fail), re-measured m2–m3 (pass), m4–m5 (pass).
        Assert.AreEqual(5, backend.Loads("ref"));
        Assert.AreEqual(1, profiler.FailedDriftChecks);
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 2, 1, 1 }, models.Select(m => backend.Loads(m.GenomeKey)).ToArray());
        CollectionAssert.AreEquivalent(new[] { "m2", "m3" }, suspectSeen);
        Assert.IsTrue(results.All(r => !r.Record.Suspect));
        Assert.IsTrue(store.ListMeasurements(TestModels.Fingerprint.Key).All(m => !m.Suspect));
    }

    [TestMethod]
    public async Task PersistentDrift_LeavesTheMeasurementsFlaggedAndTheNextProfileRemeasuresThem()
    {
        // From its second measurement on, the reference is 10% slower for good.
        var slow = true;
        var backend = new FakeInferenceBackend((key, load, _) => key == "ref" ? (load >= 1 && slow ? 1.1 : 1.0) : 2.0);
        using var store = ResultsStore.Open(StorePath);
        var options = new LatencyProfilerOptions(TestModels.Measure(referenceEvery: 10), [TestModels.Fake("ref")], MaxRemeasureRounds: 1);
        ProfileRequest[] models = [TestModels.Fake("a"), TestModels.Fake("b")];

        var results = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);

        Assert.IsTrue(results.All(r => r.Record.Suspect));
        Assert.AreEqual(2, backend.Loads("a"), "measured, then re-measured once");
        Assert.IsTrue(models.All(m => store.ListMeasurements(TestModels.Fingerprint.Key).Single(r => r.Key.GenomeKey == m.GenomeKey).Suspect));

        // Once the device has settled, suspect rows are not store hits: they are measured again and cleared.
        slow = false;
        var again = await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);

        Assert.IsTrue(again.All(r => !r.FromStore && !r.Record.Suspect));
        Assert.AreEqual(3, backend.Loads("a"));
    }

    [TestMethod]
    public async Task StoredReferenceBaseline_IsReusedAcrossProfilers()
    {
        var backend = FakeInferenceBackend.Constant(1);
        using var store = ResultsStore.Open(StorePath);
        var options = new LatencyProfilerOptions(TestModels.Measure(referenceEvery: 5), [TestModels.Fake("ref")]);
        await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync([TestModels.Fake("a")], null, CancellationToken.None);
        Assert.AreEqual(2, backend.Loads("ref")); // baseline + one check

        await new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, store).ProfileAsync([TestModels.Fake("b")], null, CancellationToken.None);

        Assert.AreEqual(3, backend.Loads("ref"), "the stored baseline is not measured again");
    }

    [TestMethod]
    public void InvalidSettings_AreBadConfig()
    {
        var backend = FakeInferenceBackend.Constant(1);
        LatencyProfilerOptions[] invalid =
        [
            new(TestModels.Measure(runs: 0), []),
            new(TestModels.Measure(warmup: -1), []),
            new(TestModels.Measure() with { Trim = 0.5 }, []),
            new(TestModels.Measure() with { Adaptive = new(true, 0.02, 1, 10) }, []),
            new(TestModels.Measure(referenceEvery: 0), [TestModels.Fake("ref")]),
        ];

        foreach (var options in invalid)
        {
            var error = Assert.ThrowsExactly<HwNasException>(() => new OrtLatencyProfiler(backend, TestModels.Fingerprint, options, null));
            Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        }
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so tests see every report in order.</summary>
    private sealed class SynchronousProgress(Action<ProfileProgress> report) : IProgress<ProfileProgress>
    {
        public void Report(ProfileProgress value) => report(value);
    }
}
