using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement.Tests;

/// <summary>Real ONNX Runtime sessions on models from our exporter. Not parallel: timing shares the CPU.</summary>
[TestClass]
[DoNotParallelize]
public sealed class OrtLatencyProfilerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RealModel_IsMeasuredWithStatisticsAndOperatorTimings()
    {
        var options = new LatencyProfilerOptions(TestModels.Measure(warmup: 3, runs: 20), [], CollectOperatorProfile: true);
        var profiler = new OrtLatencyProfiler(TestModels.Device(), TestModels.Input, options);

        var result = (await profiler.ProfileAsync([TestModels.ConvNetRequest(16)], null, CancellationToken.None)).Single();

        var s = result.Record.Statistics;
        Assert.AreEqual(20, s.Count);
        Assert.IsGreaterThan(0.0, s.Min);
        Assert.IsTrue(s.Min <= s.TrimmedMean && s.TrimmedMean <= s.Max && s.Median <= s.P90);
        Assert.IsGreaterThan(0.0, result.Record.SessionCreationMs);
        Assert.IsGreaterThan(0.0, result.Record.FirstInferenceMs);
        Assert.IsGreaterThanOrEqualTo(0L, result.Record.PeakWorkingSetBytes);
        Assert.IsFalse(result.FromStore);
        Assert.IsTrue(result.Operators.Any(o => o.OperatorType == "Conv" && o.Calls == 20 && o.MeanMs > 0), string.Join(", ", result.Operators));
        Assert.AreEqual(profiler.Fingerprint.Key, result.Record.Key.FingerprintKey);
        StringAssert.StartsWith(profiler.Fingerprint.RuntimeVersion, "onnxruntime 1.");
        Assert.AreEqual("1x28x28", profiler.Fingerprint.InputShape);
        TestContext.WriteLine($"w16: trimmed mean {s.TrimmedMean:F4} ms, median {s.Median:F4}, p90 {s.P90:F4}, session {result.Record.SessionCreationMs:F1} ms, first {result.Record.FirstInferenceMs:F3} ms, peak +{result.Record.PeakWorkingSetBytes} B");
    }

    [TestMethod]
    public async Task ModelFile_IsMeasuredLikeBytes()
    {
        var folder = Directory.CreateTempSubdirectory("hwnas-ort-");
        try
        {
            var path = Path.Combine(folder.FullName, "w8.onnx");
            File.WriteAllBytes(path, TestNetworks.ConvNetBytes(8));
            var profiler = new OrtLatencyProfiler(TestModels.Device(), TestModels.Input, new LatencyProfilerOptions(TestModels.Measure(), []));

            var result = (await profiler.ProfileAsync([new ProfileRequest("w8", "test", "s1", OnnxModel.FromFile(path))], null, CancellationToken.None)).Single();

            Assert.AreEqual(10, result.Record.Statistics.Count);
            Assert.IsEmpty(result.Operators);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestMethod]
    public async Task SecondProfileThroughTheRealRuntime_RunsNothing()
    {
        var folder = Directory.CreateTempSubdirectory("hwnas-ort-");
        try
        {
            using var store = ResultsStore.Open(Path.Combine(folder.FullName, "results.db"));
            var device = TestModels.Device();
            var counting = new CountingBackend(new OrtInferenceBackend(device, TestModels.Input));
            var options = new LatencyProfilerOptions(TestModels.Measure(warmup: 1, runs: 5), []);
            var fingerprint = OrtLatencyProfiler.CreateFingerprint(device, TestModels.Input);
            ProfileRequest[] models = [TestModels.ConvNetRequest(4), TestModels.ConvNetRequest(8)];

            var first = await new OrtLatencyProfiler(counting, fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);
            // Per model: 1 warm-up, 1 re-warm (both are measured as one interleaved group) and 5 timed runs.
            Assert.AreEqual(14, counting.Runs);
            var second = await new OrtLatencyProfiler(counting, fingerprint, options, store).ProfileAsync(models, null, CancellationToken.None);

            Assert.AreEqual(14, counting.Runs);
            Assert.AreEqual(2, counting.Loads);
            CollectionAssert.AreEqual(first.Select(m => m.LatencyMs).ToArray(), second.Select(m => m.LatencyMs).ToArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestMethod]
    public async Task LargerModels_MeasureSlower()
    {
        int[] widths = [2, 4, 8, 16, 32, 48, 64, 96];
        var options = new LatencyProfilerOptions(TestModels.Measure(warmup: 5, runs: 30), []);
        var profiler = new OrtLatencyProfiler(TestModels.Device(threads: 1), TestModels.Input, options);

        var results = await profiler.ProfileAsync([.. widths.Select(TestModels.ConvNetRequest)], null, CancellationToken.None);

        var macs = widths.Select(w => (double)TestModels.ConvNetMacs(w)).ToArray();
        var latencies = results.Select(r => r.LatencyMs).ToArray();
        var rho = Spearman(macs, latencies);
        TestContext.WriteLine($"Spearman rho = {rho:F3}; latencies (ms) = {string.Join(", ", latencies.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.IsGreaterThan(0.5, rho);
    }

    [TestMethod]
    public void ProviderMissingFromThisBuild_IsRejectedListingTheAvailableOnes()
    {
        var error = Assert.ThrowsExactly<HwNasException>(() =>
            new OrtLatencyProfiler(TestModels.Device(ExecutionProvider.Cuda), TestModels.Input, new LatencyProfilerOptions(TestModels.Measure(), [])));

        Assert.AreEqual(ExitCode.RuntimeRejected, error.ExitCode);
        StringAssert.Contains(error.Message, "cuda");
        StringAssert.Contains(error.Message, "CPUExecutionProvider");
    }

    [TestMethod]
    public async Task ModelWithAnotherInputSize_IsRejected()
    {
        var profiler = new OrtLatencyProfiler(TestModels.Device(), new InputShape(3, 32, 32), new LatencyProfilerOptions(TestModels.Measure(), []));

        var error = await Assert.ThrowsExactlyAsync<HwNasException>(() => profiler.ProfileAsync([TestModels.ConvNetRequest(4)], null, CancellationToken.None));

        Assert.AreEqual(ExitCode.RuntimeRejected, error.ExitCode);
        StringAssert.Contains(error.Message, "[1, 3, 32, 32]");
    }

    [TestMethod]
    public async Task CorruptModel_IsRejectedNamingIt()
    {
        var profiler = new OrtLatencyProfiler(TestModels.Device(), TestModels.Input, new LatencyProfilerOptions(TestModels.Measure(), []));
        var request = new ProfileRequest("broken", "test", "s1", OnnxModel.FromBytes([1, 2, 3, 4]));

        var error = await Assert.ThrowsExactlyAsync<HwNasException>(() => profiler.ProfileAsync([request], null, CancellationToken.None));

        Assert.AreEqual(ExitCode.RuntimeRejected, error.ExitCode);
        StringAssert.Contains(error.Message, "broken");
    }

    private static double Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        var mx = rx.Average();
        var my = ry.Average();
        var cov = rx.Zip(ry, (a, b) => (a - mx) * (b - my)).Sum();
        return cov / Math.Sqrt(rx.Sum(a => (a - mx) * (a - mx)) * ry.Sum(b => (b - my) * (b - my)));
    }

    private static double[] Ranks(double[] values)
    {
        var ranks = new double[values.Length];
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        for (var r = 0; r < order.Length; r++)
        {
            ranks[order[r]] = r;
        }

        return ranks;
    }

    /// <summary>Counts loads and runs going through a real backend.</summary>
    private sealed class CountingBackend(IInferenceBackend inner) : IInferenceBackend
    {
        public int Loads { get; private set; }

        public int Runs { get; private set; }

        public IInferenceRunner Load(ProfileRequest request, bool collectOperatorProfile)
        {
            Loads++;
            return new Runner(this, inner.Load(request, collectOperatorProfile));
        }

        private sealed class Runner(CountingBackend owner, IInferenceRunner runner) : IInferenceRunner
        {
            public double SessionCreationMs => runner.SessionCreationMs;

            public double Run()
            {
                owner.Runs++;
                return runner.Run();
            }

            public IReadOnlyList<OperatorTiming> EndOperatorProfile(int lastRuns) => runner.EndOperatorProfile(lastRuns);

            public void Dispose() => runner.Dispose();
        }
    }
}
