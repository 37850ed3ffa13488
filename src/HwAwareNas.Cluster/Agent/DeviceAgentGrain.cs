using System.Collections.Concurrent;
using System.Text.Json;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;
using HwAwareNas.Measurement;
using Microsoft.Extensions.Logging;

namespace HwAwareNas.Cluster.Agent;

/// <summary>
/// Measures models on this agent's device with ONNX Runtime, under the caller's protocol (warm-up, interleaved timed
/// runs, statistics, reference drift check). Stateless towards the caller: results go back to the caller's results
/// store, the one record of every measurement. What it keeps is a cache: models by hash, one profiler per device
/// setting so that reference baselines persist across calls, and the answers to recent jobs by id.
/// </summary>
[AgentPlacementFilter]
internal sealed partial class DeviceAgentGrain(
    AgentIdentity identity, ModelCache models, AgentProfilers profilers, AgentJobs<MeasureReply> jobs, ILogger<DeviceAgentGrain> logger)
    : Grain, IDeviceAgentGrain
{
    /// <inheritdoc />
    public Task<AgentDescription> DescribeAsync(DeviceOptions device, InputShape input)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(new AgentDescription(
            identity.AgentId,
            identity.Kind,
            HostFacts.Architecture,
            HostFacts.CpuGovernor(),
            HostFacts.Providers(),
            models.MaxModelBytes,
            OrtLatencyProfiler.CreateFingerprint(device, input) with { DeviceKind = identity.Kind }));
    }

    /// <inheritdoc />
    public Task<string[]> MissingModelsAsync(string[] sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        return Task.FromResult(sha256.Where(h => !models.Contains(h)).Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <inheritdoc />
    public Task<UploadReply> UploadModelAsync(string sha256, byte[] model)
    {
        var refusal = models.TryAdd(sha256, model);
        if (refusal is not null)
        {
            LogRefusedModel(logger, sha256, refusal);
        }

        return Task.FromResult(new UploadReply(refusal));
    }

    /// <inheritdoc />
    public Task<MeasureReply> MeasureAsync(MeasureJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return jobs.RunOnceAsync(job.JobId, () => MeasureNowAsync(job));
    }

    /// <inheritdoc />
    public Task<JobState> JobStateAsync(string jobId) => Task.FromResult(jobs.StateOf(jobId));

    /// <summary>Measures <paramref name="job"/> (its turn came); models evicted since their upload are named instead.</summary>
    private async Task<MeasureReply> MeasureNowAsync(MeasureJob job)
    {
        var missing = job.References.Concat(job.Models).Select(m => m.Sha256).Where(h => !models.Contains(h)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            return new MeasureReply([], missing);
        }

        var requests = job.Models.Select(ToRequest).ToList();
        var profiler = profilers.For(job, identity.Kind, ToRequest);
        var measured = await profiler.ProfileAsync(requests, progress: null, CancellationToken.None)
            .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        LogMeasured(logger, measured.Count, job.Device.Name);
        return new MeasureReply([.. measured.Select(m => m.Record with { MeasuredBy = identity.AgentId })], []);
    }

    private ProfileRequest ToRequest(ModelReference model) =>
        new(model.GenomeKey, model.Family, model.SettingsHash, OnnxModel.FromBytes(models.TryGet(model.Sha256)!));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused model {Sha256}: {Reason}")]
    private static partial void LogRefusedModel(ILogger logger, string sha256, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Measured {Count} models for device profile '{Device}'")]
    private static partial void LogMeasured(ILogger logger, int count, string device);
}

/// <summary>
/// One profiler per device setting and reference set, kept for the agent's lifetime: each holds its reference
/// models' baselines, so drift is judged against the first measurement this agent took, as locally.
/// </summary>
internal sealed class AgentProfilers
{
    private readonly ConcurrentDictionary<string, OrtLatencyProfiler> _profilers = new(StringComparer.Ordinal);

    /// <summary>The profiler for <paramref name="job"/>'s device settings, input, metric and reference models.</summary>
    public OrtLatencyProfiler For(MeasureJob job, string kind, Func<ModelReference, ProfileRequest> toRequest)
    {
        var key = JsonSerializer.Serialize(new { job.Device, job.Input, job.Metric, References = job.References.Select(r => r.Sha256) });
        return _profilers.GetOrAdd(key, _ => new OrtLatencyProfiler(
            job.Device,
            job.Input,
            new LatencyProfilerOptions(job.Device.Measure, [.. job.References.Select(toRequest)], Metric: job.Metric),
            store: null,
            kind));
    }
}
