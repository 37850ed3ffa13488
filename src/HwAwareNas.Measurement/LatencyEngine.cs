using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>What the engine measured for one model.</summary>
/// <param name="Statistics">Statistics of the timed runs, in milliseconds.</param>
/// <param name="SessionCreationMs">Time to load the model.</param>
/// <param name="FirstInferenceMs">Duration of the first (cold) run.</param>
/// <param name="PeakWorkingSetBytes">Growth of the peak working set while the model was loaded and run.</param>
/// <param name="Operators">Per-node timings over the timed runs, when asked for.</param>
internal sealed record EngineResult(
    MeasurementStatistics Statistics,
    double SessionCreationMs,
    double FirstInferenceMs,
    long PeakWorkingSetBytes,
    IReadOnlyList<OperatorTiming> Operators);

/// <summary>Measures one model: load, warm-up stage, actual stage, statistics.</summary>
internal sealed class LatencyEngine(IInferenceBackend backend, MeasureOptions options, bool collectOperatorProfile)
{
    private readonly PeakMemoryProbe _memory = new();

    /// <summary>Measures <paramref name="request"/>.</summary>
    public EngineResult Measure(ProfileRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _memory.Start();
        using var runner = backend.Load(request, collectOperatorProfile);
        var first = WarmupStage.Run(runner, Math.Max(1, options.Warmup), cancellationToken);
        var samples = ActualStage.Run(runner, options, cancellationToken);
        var peak = _memory.Growth();
        var operators = collectOperatorProfile ? runner.EndOperatorProfile(samples.Count) : [];
        return new EngineResult(
            MeasurementStatistics.FromSamples(samples, options.Trim),
            runner.SessionCreationMs,
            first,
            peak,
            operators);
    }
}
