using HwAwareNas.Cluster.Caller;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;
using HwAwareNas.Measurement;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The latency profiler of a device profile: this machine's ONNX Runtime, or the pool of device agents its
/// <c>device.remote</c> names. A remote one holds a connection: dispose it (<c>await using</c> on the result as
/// <see cref="IAsyncDisposable"/>, which is null for a local one).
/// </summary>
internal static class DeviceProfilers
{
    /// <summary>Opens the profiler for <paramref name="config"/>'s device, storing into <paramref name="store"/>.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="options">Protocol, reference models and metric.</param>
    /// <param name="store">The results store.</param>
    /// <param name="notice">Where a remote pool's notices go (agents found, lost, not used).</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    public static async Task<ILatencyProfiler> OpenAsync(
        HwNasConfig config, LatencyProfilerOptions options, ResultsStore store, Action<string> notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Device.Remote is null)
        {
            return new OrtLatencyProfiler(config.Device, config.Supernet.Input, options, store);
        }

        return await RemoteLatencyProfiler.ConnectAsync(config.Device, config.Supernet.Input, options, store, notice, cancellationToken).ConfigureAwait(false);
    }
}
