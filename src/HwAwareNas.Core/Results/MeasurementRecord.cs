using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Core.Results;

/// <summary>What identifies one stored measurement: a sub-network of a family measured for a metric on a device.</summary>
/// <param name="FingerprintKey">The device's <see cref="DeviceFingerprint.Key"/>.</param>
/// <param name="Family">Super-network family, e.g. <c>mobilenetv3</c>.</param>
/// <param name="SettingsHash">Hash of the family settings, so differently shaped super-networks never share rows.</param>
/// <param name="GenomeKey">The sub-network's <see cref="SearchSpace.Genome.Key"/> (or another stable model key).</param>
/// <param name="Metric">What was measured, e.g. <c>latency_ms</c>.</param>
public sealed record MeasurementKey(string FingerprintKey, string Family, string SettingsHash, string GenomeKey, string Metric);

/// <summary>One stored measurement.</summary>
/// <param name="Key">What was measured where.</param>
/// <param name="Statistics">Statistics of the timed runs (milliseconds for latency).</param>
/// <param name="SessionCreationMs">Time to create the inference session.</param>
/// <param name="FirstInferenceMs">Duration of the first (cold) inference.</param>
/// <param name="PeakWorkingSetBytes">Growth of the process's peak working set while the model was loaded and run.</param>
/// <param name="Suspect">True while a reference-model drift check has cast doubt on the value.</param>
/// <param name="MeasuredAt">When the measurement finished.</param>
/// <param name="MeasuredBy">The device agent that took it (its agent id), or null when this process measured it.</param>
public sealed record MeasurementRecord(
    MeasurementKey Key,
    MeasurementStatistics Statistics,
    double SessionCreationMs,
    double FirstInferenceMs,
    long PeakWorkingSetBytes,
    bool Suspect,
    DateTimeOffset MeasuredAt,
    string? MeasuredBy = null);

/// <summary>One stored accuracy evaluation of a sub-network.</summary>
/// <param name="CheckpointHash">Hash of the super-network checkpoint the weights came from.</param>
/// <param name="GenomeKey">The sub-network's genome key.</param>
/// <param name="DatasetKey">Which validation data (and how much of it) was used.</param>
/// <param name="Value">Accuracy as a fraction.</param>
/// <param name="EvaluatedAt">When the evaluation finished.</param>
public sealed record AccuracyRecord(string CheckpointHash, string GenomeKey, string DatasetKey, double Value, DateTimeOffset EvaluatedAt);

/// <summary>The state of a search trial; only <see cref="Running"/> trials may change.</summary>
public enum TrialState
{
    /// <summary>Started, no values yet.</summary>
    Running,

    /// <summary>Finished with objective values.</summary>
    Complete,

    /// <summary>Finished without values (the evaluation failed); the study goes on.</summary>
    Failed,
}

/// <summary>A stored search.</summary>
/// <param name="Id">Store-assigned identifier.</param>
/// <param name="Name">Unique name, e.g. derived from the config and device.</param>
/// <param name="SettingsJson">The search settings as JSON, to check a resumed study matches.</param>
/// <param name="CreatedAt">When the study was created.</param>
public sealed record StudyRecord(long Id, string Name, string SettingsJson, DateTimeOffset CreatedAt);

/// <summary>One evaluation inside a study.</summary>
/// <param name="StudyId">The study it belongs to.</param>
/// <param name="Number">0-based number within the study, in start order.</param>
/// <param name="Stage">Search stage that asked for it, e.g. <c>nsga2</c> or <c>verify</c>.</param>
/// <param name="GenomeKey">The evaluated sub-network.</param>
/// <param name="State">Running, complete or failed.</param>
/// <param name="Values">Objective values of a complete trial (empty otherwise).</param>
/// <param name="Origin">Whether the values were measured or predicted.</param>
/// <param name="ConstraintViolation">Sum of relative constraint misses (0: feasible).</param>
/// <param name="StartedAt">When the trial started.</param>
/// <param name="FinishedAt">When it finished; null while running.</param>
public sealed record TrialRecord(
    long StudyId,
    int Number,
    string Stage,
    string GenomeKey,
    TrialState State,
    IReadOnlyList<double> Values,
    EvaluationOrigin Origin,
    double ConstraintViolation,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>One member of a stored population.</summary>
/// <param name="GenomeKey">The member's genome key.</param>
/// <param name="Values">Its objective values.</param>
/// <param name="Origin">Whether the values were measured or predicted.</param>
/// <param name="ConstraintViolation">Sum of relative constraint misses (0: feasible).</param>
public sealed record PopulationMember(string GenomeKey, IReadOnlyList<double> Values, EvaluationOrigin Origin, double ConstraintViolation);

/// <summary>The population a search held after one generation (what a warm start or resume reads back).</summary>
/// <param name="StudyId">The study it belongs to.</param>
/// <param name="Stage">Search stage, e.g. <c>nsga2</c>.</param>
/// <param name="Generation">Generations completed.</param>
/// <param name="Evaluations">Evaluations the stage had done by then.</param>
/// <param name="Members">The surviving population, in order.</param>
public sealed record PopulationRecord(long StudyId, string Stage, int Generation, int Evaluations, IReadOnlyList<PopulationMember> Members);
