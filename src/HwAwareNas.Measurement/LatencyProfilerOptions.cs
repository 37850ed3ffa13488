using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Measurement;

/// <summary>How a <see cref="OrtLatencyProfiler"/> measures.</summary>
/// <param name="Measure">The protocol: warm-up, timed runs (fixed or adaptive), trim, drift threshold and check interval.</param>
/// <param name="ReferenceModels">
/// Fixed models re-measured every <see cref="MeasureOptions.ReferenceEvery"/> measurements (the pipeline passes
/// <see cref="MeasureOptions.ReferenceModels"/> of them); empty turns the drift check off.
/// </param>
/// <param name="CollectOperatorProfile">Whether to record per-node timings with ONNX Runtime's profiler.</param>
/// <param name="MaxRemeasureRounds">How often a model is re-measured after failed drift checks before it is left flagged suspect.</param>
/// <param name="Metric">Metric name the measurements are stored under.</param>
public sealed record LatencyProfilerOptions(
    MeasureOptions Measure,
    IReadOnlyList<ProfileRequest> ReferenceModels,
    bool CollectOperatorProfile = false,
    int MaxRemeasureRounds = 2,
    string Metric = LatencyProfilerOptions.LatencyMetric)
{
    /// <summary>The metric name of latency measurements (milliseconds per batch).</summary>
    public const string LatencyMetric = "latency_ms";

    /// <summary>The metric name of the second, confirming measurements of selection finalists.</summary>
    public const string ConfirmationMetric = "latency_confirmation_ms";
}
