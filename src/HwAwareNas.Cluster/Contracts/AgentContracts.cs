using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Cluster.Contracts;

/// <summary>What a device agent says about itself and the device it measures.</summary>
/// <param name="AgentId">The agent's id, unique in its cluster (its --id).</param>
/// <param name="Kind">The device kind it measures for (its --kind).</param>
/// <param name="Architecture">Process architecture, e.g. <c>X64</c> or <c>Arm64</c>.</param>
/// <param name="CpuGovernor">The CPU frequency governor, or <c>unknown</c> where it cannot be read.</param>
/// <param name="Providers">ONNX Runtime execution providers available on the agent.</param>
/// <param name="MaxModelBytes">Largest model the agent accepts.</param>
/// <param name="Fingerprint">The fingerprint of its measurements under the caller's device settings.</param>
[GenerateSerializer, Immutable]
public sealed record AgentDescription(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Architecture,
    [property: Id(3)] string CpuGovernor,
    [property: Id(4)] string[] Providers,
    [property: Id(5)] long MaxModelBytes,
    [property: Id(6)] DeviceFingerprint Fingerprint);

/// <summary>A model an agent is asked to measure, by content hash, and what identifies it in the caller's store.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the serialized ONNX model.</param>
/// <param name="GenomeKey">Genome (or reference-model) key.</param>
/// <param name="Family">Super-network family.</param>
/// <param name="SettingsHash">Hash of the family settings.</param>
[GenerateSerializer, Immutable]
public sealed record ModelReference(
    [property: Id(0)] string Sha256,
    [property: Id(1)] string GenomeKey,
    [property: Id(2)] string Family,
    [property: Id(3)] string SettingsHash);

/// <summary>One remote measurement call: models measured together under the caller's protocol.</summary>
/// <param name="Device">The caller's device profile (provider, threads, batch, measure protocol).</param>
/// <param name="Input">Input shape of the models, without the batch dimension.</param>
/// <param name="Metric">Metric the measurements are stored under.</param>
/// <param name="References">Reference models for the drift check (empty: no check).</param>
/// <param name="Models">The models to measure.</param>
/// <param name="JobId">
/// The caller's id of this call, unique per call: the agent remembers recent jobs by it, so a job asked again (its
/// answer was lost on the way) is answered from memory instead of being measured twice.
/// </param>
[GenerateSerializer, Immutable]
public sealed record MeasureJob(
    [property: Id(0)] DeviceOptions Device,
    [property: Id(1)] InputShape Input,
    [property: Id(2)] string Metric,
    [property: Id(3)] ModelReference[] References,
    [property: Id(4)] ModelReference[] Models,
    [property: Id(5)] string JobId);

/// <summary>What an agent knows of a <see cref="MeasureJob"/> by its id.</summary>
[GenerateSerializer]
public enum JobState
{
    /// <summary>Never received (or forgotten, or it failed): ask again to have it measured.</summary>
    Unknown,

    /// <summary>Received: waiting for the agent or being measured.</summary>
    Running,

    /// <summary>Measured: asking again answers from memory.</summary>
    Done,
}

/// <summary>An agent's answer to a <see cref="MeasureJob"/>.</summary>
/// <param name="Records">One measurement per model, in the job's order (empty when models were missing).</param>
/// <param name="MissingModels">Hashes of models the agent does not hold (evicted since upload): upload and ask again.</param>
[GenerateSerializer, Immutable]
public sealed record MeasureReply(
    [property: Id(0)] MeasurementRecord[] Records,
    [property: Id(1)] string[] MissingModels);

/// <summary>An agent's answer to a model upload.</summary>
/// <param name="Refusal">Why the model was refused (too large, hash mismatch), or null when it was accepted.</param>
[GenerateSerializer, Immutable]
public sealed record UploadReply([property: Id(0)] string? Refusal);
