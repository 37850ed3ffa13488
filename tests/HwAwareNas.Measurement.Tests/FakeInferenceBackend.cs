using System.Collections.Concurrent;

namespace HwAwareNas.Measurement.Tests;

/// <summary>
/// A backend with scripted run durations: <c>duration(genomeKey, loadIndex, runIndex)</c> where loadIndex counts
/// earlier loads of the same model and runIndex counts runs within this load (warm-up included). Counts every load and run.
/// </summary>
internal sealed class FakeInferenceBackend(Func<string, int, int, double> duration) : IInferenceBackend
{
    private readonly Func<string, int, int, double> _duration = duration;
    private readonly ConcurrentDictionary<string, int> _loads = new();
    private int _runs;

    /// <summary>A backend whose every run of every model takes <paramref name="ms"/>.</summary>
    public static FakeInferenceBackend Constant(double ms) => new((_, _, _) => ms);

    public int Runs => _runs;

    public int TotalLoads => _loads.Values.Sum();

    public int Loads(string genomeKey) => _loads.GetValueOrDefault(genomeKey);

    public IInferenceRunner Load(ProfileRequest request, bool collectOperatorProfile)
    {
        var loadIndex = _loads.AddOrUpdate(request.GenomeKey, 1, (_, n) => n + 1) - 1;
        return new Runner(this, request.GenomeKey, loadIndex);
    }

    private sealed class Runner(FakeInferenceBackend owner, string key, int loadIndex) : IInferenceRunner
    {
        private int _run;

        public double SessionCreationMs => 5;

        public double Run()
        {
            Interlocked.Increment(ref owner._runs);
            return owner._duration(key, loadIndex, _run++);
        }

        public IReadOnlyList<OperatorTiming> EndOperatorProfile(int lastRuns) => [new OperatorTiming(key, "Fake", lastRuns, 0.5)];

        public void Dispose()
        {
        }
    }
}
