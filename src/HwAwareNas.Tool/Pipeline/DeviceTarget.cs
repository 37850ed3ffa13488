using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Measurement;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>One device an optimize run selects a model for: its configuration, profiler and live evaluator.</summary>
/// <param name="Name">The device profile's name, or null for the single device of a run without a device list.</param>
/// <param name="Config">The configuration with this device's section.</param>
/// <param name="Profiler">Measures latency on the device (this machine, or its agents).</param>
/// <param name="Live">Accuracy (shared by every device of the run) and this device's latency.</param>
internal sealed record DeviceTarget(string? Name, HwNasConfig Config, ILatencyProfiler Profiler, LiveEvaluator Live)
{
    /// <summary>Whether agents measure it (devices measured on this machine take turns, remote pools work in parallel).</summary>
    public bool IsRemote => Config.Device.Remote is not null;

    /// <summary>The largest sub-network's latency on this device, when a relative budget needs it.</summary>
    public double? LargestLatencyMs { get; set; }

    /// <summary>The constraints on this device's accuracy and latency (objective <c>latency</c>).</summary>
    public IReadOnlyList<Constraint> Constraints { get; set; } = [];

    /// <summary>This device's latency objective in a search over several devices.</summary>
    public Objective LatencyObjective => Name is null ? Objective.Latency : Objective.LatencyOn(Name);

    /// <summary>A progress line about this device, named when the run has several.</summary>
    public string Line(string text) => Name is null ? text : $"{Name}: {text}";
}
