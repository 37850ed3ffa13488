using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>The outcome of profiling one model.</summary>
/// <param name="Request">The model it is about.</param>
/// <param name="Record">The measurement, as stored (latency statistics in milliseconds).</param>
/// <param name="FromStore">True when the results store already held it and nothing was run.</param>
/// <param name="Operators">Per-node timings when operator profiling was asked for; empty otherwise.</param>
/// <param name="Statistic">Which statistic of <paramref name="Record"/> is the latency.</param>
public sealed record LatencyMeasurement(
    ProfileRequest Request,
    MeasurementRecord Record,
    bool FromStore,
    IReadOnlyList<OperatorTiming> Operators,
    LatencyStatistic Statistic)
{
    /// <summary>The latency figure searches use, in milliseconds: the configured statistic of the timed runs.</summary>
    public double LatencyMs => Record.Statistics.Figure(Statistic);
}
