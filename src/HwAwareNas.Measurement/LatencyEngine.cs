using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>What the engine measured for one model.</summary>
/// <param name="Statistics">Statistics of the timed runs, in milliseconds.</param>
/// <param name="SessionCreationMs">Time to load the model.</param>
/// <param name="FirstInferenceMs">Duration of the first (cold) run.</param>
/// <param name="PeakWorkingSetBytes">Growth of the peak working set while the model was loaded and warmed up.</param>
/// <param name="Operators">Per-node timings over the timed runs, when asked for.</param>
internal sealed record EngineResult(
    MeasurementStatistics Statistics,
    double SessionCreationMs,
    double FirstInferenceMs,
    long PeakWorkingSetBytes,
    IReadOnlyList<OperatorTiming> Operators);

/// <summary>
/// Measures models: load, warm-up stage, actual stage, statistics. A group of models is measured together: all are
/// loaded and warmed up, then their timed runs are split into <see cref="MeasureOptions.Rounds"/> rounds that visit
/// every model in turn, so that a slow change of the device (a neighbour's load, clock changes) shifts every model
/// of the group alike instead of whichever happened to be measured at that moment.
/// </summary>
internal sealed class LatencyEngine(IInferenceBackend backend, MeasureOptions options, bool collectOperatorProfile)
{
    // After other models ran, a couple of untimed runs bring this model's weights back into the caches.
    private const int RewarmRuns = 2;

    private readonly PeakMemoryProbe _memory = new();

    /// <summary>Measures one model on its own.</summary>
    public EngineResult Measure(ProfileRequest request, CancellationToken cancellationToken) =>
        Measure([request], cancellationToken)[0];

    /// <summary>Measures <paramref name="requests"/> together, interleaved; the results are in the same order.</summary>
    public IReadOnlyList<EngineResult> Measure(IReadOnlyList<ProfileRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var loaded = new List<Loaded>(requests.Count);
        try
        {
            foreach (var request in requests)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _memory.Start();
                var runner = backend.Load(request, collectOperatorProfile);
                loaded.Add(new Loaded(runner, new ActualStage(options)));
                var first = WarmupStage.Run(runner, Math.Max(1, options.Warmup), cancellationToken);
                loaded[^1].FirstInferenceMs = first;
                loaded[^1].PeakWorkingSetBytes = _memory.Growth();
            }

            var rewarm = loaded.Count > 1 ? Math.Min(RewarmRuns, options.Warmup) : 0;
            for (var round = 0; loaded.Any(l => !l.Stage.Finished); round++)
            {
                foreach (var model in loaded.Where(l => !l.Stage.Finished))
                {
                    for (var i = 0; i < rewarm; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        model.Runner.Run();
                    }

                    model.Stage.RunRound(model.Runner, round, cancellationToken);
                }
            }

            return [.. loaded.Select(Result)];
        }
        finally
        {
            foreach (var model in loaded)
            {
                model.Runner.Dispose();
            }
        }
    }

    private EngineResult Result(Loaded model)
    {
        var samples = model.Stage.Samples;
        var operators = collectOperatorProfile ? model.Runner.EndOperatorProfile(samples.Count) : [];
        return new EngineResult(
            MeasurementStatistics.FromSamples(samples, options.Trim),
            model.Runner.SessionCreationMs,
            model.FirstInferenceMs,
            model.PeakWorkingSetBytes,
            operators);
    }

    private sealed class Loaded(IInferenceRunner runner, ActualStage stage)
    {
        public IInferenceRunner Runner { get; } = runner;

        public ActualStage Stage { get; } = stage;

        public double FirstInferenceMs { get; set; }

        public long PeakWorkingSetBytes { get; set; }
    }
}
