using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>
/// Measures the latency of models on one device, a batch at a time, so that a backend that measures on a
/// remote target can implement it as well as the local ONNX Runtime one.
/// </summary>
public interface ILatencyProfiler
{
    /// <summary>The device and settings every measurement of this profiler is taken under.</summary>
    DeviceFingerprint Fingerprint { get; }

    /// <summary>Profiles <paramref name="models"/>; the result has one measurement per model, in the same order.</summary>
    Task<IReadOnlyList<LatencyMeasurement>> ProfileAsync(
        IReadOnlyList<ProfileRequest> models,
        IProgress<ProfileProgress>? progress,
        CancellationToken cancellationToken);
}
