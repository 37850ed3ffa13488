using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Reporting;

/// <summary>
/// Everything one optimisation run produced, frozen for the exporters: the report layer reads only this record, so
/// every exporter renders the same facts and none of them can reach back into the pipeline.
/// </summary>
/// <param name="ToolVersion">The <c>hwnas</c> version that ran.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When the run finished.</param>
/// <param name="Outcome">The exit code the run ends with (success, or no feasible sub-network).</param>
/// <param name="Config">The configuration file the run read.</param>
/// <param name="Family">The elastic super-network family and its settings.</param>
/// <param name="Device">The device the latencies were measured on.</param>
/// <param name="Objectives">The objectives the search optimised.</param>
/// <param name="Constraints">The constraints a selected sub-network must meet.</param>
/// <param name="Search">The strategy and how much of its budget it used.</param>
/// <param name="Stages">Wall time per pipeline stage, in pipeline order.</param>
/// <param name="Candidates">Every evaluated candidate, measured or predicted.</param>
/// <param name="PredictedFront">The Pareto front the search found on predicted values.</param>
/// <param name="VerifiedFront">The Pareto front after re-measuring the predicted front on the device.</param>
/// <param name="Hypervolume">Hypervolume of the front after each number of validations.</param>
/// <param name="Predictors">Quality of each fitted predictor on held-out measurements.</param>
/// <param name="Selection">The selected sub-network and why, or the nearest misses when none is feasible.</param>
public sealed record RunSummary(
    string ToolVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    ExitCode Outcome,
    ConfigSummary Config,
    FamilySummary Family,
    DeviceSummary Device,
    IReadOnlyList<ObjectiveSummary> Objectives,
    IReadOnlyList<ConstraintSummary> Constraints,
    SearchSummary Search,
    IReadOnlyList<StageTiming> Stages,
    IReadOnlyList<CandidateSummary> Candidates,
    IReadOnlyList<CandidateSummary> PredictedFront,
    IReadOnlyList<CandidateSummary> VerifiedFront,
    IReadOnlyList<HypervolumePoint> Hypervolume,
    IReadOnlyList<PredictorQuality> Predictors,
    SelectionSummary Selection)
{
    /// <summary>Wall time from start to finish.</summary>
    public TimeSpan Duration => FinishedAt - StartedAt;

    /// <summary>The stored latency predictor the search used, or null when it fitted on the run's measurements alone.</summary>
    public BuiltPredictorSummary? BuiltPredictor { get; init; }

    /// <summary>The uniformly scaled sub-networks measured beside the selection, smallest first; empty when none were measured.</summary>
    public IReadOnlyList<BaselineSummary> Baselines { get; init; } = [];
}

/// <summary>The configuration file a run read.</summary>
/// <param name="Path">Path of the <c>hwnas.yaml</c> as given.</param>
/// <param name="Sha256">Hex SHA-256 of the file's bytes, so a report can be matched to the exact configuration.</param>
public sealed record ConfigSummary(string Path, string Sha256);

/// <summary>A name and its value, kept as text so every exporter prints it the same way.</summary>
/// <param name="Key">The setting's name.</param>
/// <param name="Value">The setting's value, formatted with the invariant culture.</param>
public sealed record Setting(string Key, string Value);

/// <summary>The elastic super-network family a run searched.</summary>
/// <param name="Name">Family name, e.g. <c>mobilenetv3</c>.</param>
/// <param name="Settings">The family's settings as configured.</param>
public sealed record FamilySummary(string Name, IReadOnlyList<Setting> Settings);

/// <summary>The device latencies were measured on.</summary>
/// <param name="Name">The device name from the configuration, e.g. <c>rpi4</c>.</param>
/// <param name="Provider">The ONNX Runtime execution provider.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="BatchSize">Batch size of the timed runs.</param>
/// <param name="FingerprintKey">Short key of the device fingerprint the results store files measurements under.</param>
/// <param name="Fingerprint">The fingerprint's parts (CPU model, cores, provider, runtime version, OS...).</param>
/// <param name="Measurement">How latency was measured: the statistic, warm-up and timed runs, rounds, drift checks, confirmation.</param>
public sealed record DeviceSummary(
    string Name,
    string Provider,
    int Threads,
    int BatchSize,
    string FingerprintKey,
    IReadOnlyList<Setting> Fingerprint,
    IReadOnlyList<Setting> Measurement)
{
    /// <summary>
    /// The numeric self-check (TorchSharp vs ONNX Runtime on a known-answer batch) this run passed before trusting
    /// accuracy figures from this machine; empty when none ran.
    /// </summary>
    public IReadOnlyList<Setting> NumericCheck { get; init; } = [];
}
