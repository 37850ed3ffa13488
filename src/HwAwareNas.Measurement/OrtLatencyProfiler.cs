using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using Microsoft.ML.OnnxRuntime;

namespace HwAwareNas.Measurement;

/// <summary>
/// Measures latency with ONNX Runtime on this machine: one session per model with the device profile's provider,
/// threads and graph optimisation, warm-up and timed runs, reference-model drift checks, and — when given a
/// <see cref="ResultsStore"/> — only what the store does not already hold, writing each measurement as soon as its
/// group of interleaved models finishes. Batches are profiled one at a time.
/// </summary>
public sealed class OrtLatencyProfiler : ILatencyProfiler
{
    private readonly LatencyProfilerOptions _options;
    private readonly ResultsStore? _store;
    private readonly LatencyEngine _engine;
    private readonly ReferenceDriftCheck _drift;
    private readonly Lock _batch = new();

    /// <summary>
    /// Models whose sessions are open at once while their runs are interleaved: enough to spread drift over a
    /// population, few enough that large sub-networks' sessions fit in memory together.
    /// </summary>
    public const int MaxModelsPerGroup = 16;

    /// <summary>Creates a profiler for <paramref name="device"/> and models taking <paramref name="input"/> images.</summary>
    /// <param name="device">The device profile.</param>
    /// <param name="input">Input shape of the models.</param>
    /// <param name="options">Protocol, reference models and metric.</param>
    /// <param name="store">Where measurements are looked up and saved, or null.</param>
    /// <param name="deviceKind">The device kind when this process is a device agent (part of the fingerprint), else null.</param>
    /// <exception cref="HwNasException">The runtime lacks the provider, or the measure options are invalid.</exception>
    public OrtLatencyProfiler(DeviceOptions device, InputShape input, LatencyProfilerOptions options, ResultsStore? store = null, string? deviceKind = null)
        : this(new OrtInferenceBackend(device, input), CreateFingerprint(device, input) with { DeviceKind = deviceKind }, options, store)
    {
    }

    /// <summary>Creates a profiler over any inference backend (tests script one).</summary>
    internal OrtLatencyProfiler(IInferenceBackend backend, DeviceFingerprint fingerprint, LatencyProfilerOptions options, ResultsStore? store)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _store = store;
        Fingerprint = fingerprint;

        // Reference checks never collect operator profiles: they only need the statistic.
        _engine = new LatencyEngine(backend, options.Measure, options.CollectOperatorProfile);
        var referenceEngine = new LatencyEngine(backend, options.Measure, collectOperatorProfile: false);
        _drift = new ReferenceDriftCheck(
            options.ReferenceModels,
            options.Measure.MaxVariance,
            options.Measure.Statistic,
            referenceEngine.Measure,
            reference => ProfileBatch.TryGetUsable(_store, KeyOf(reference), options.Measure.Statistic)?.Statistics,
            (reference, result) => _store?.SaveMeasurement(ToRecord(KeyOf(reference), result)));
    }

    /// <inheritdoc />
    public DeviceFingerprint Fingerprint { get; }

    /// <summary>How many reference drift checks have failed so far.</summary>
    public int FailedDriftChecks => _drift.FailedChecks;

    /// <summary>The fingerprint of this machine under <paramref name="device"/>'s settings, for models taking <paramref name="input"/>.</summary>
    public static DeviceFingerprint CreateFingerprint(DeviceOptions device, InputShape input)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(input);
        return new DeviceFingerprint(
            DeviceFingerprint.ReadCpuModel(),
            Environment.ProcessorCount,
            device.IntraOpThreads,
            device.InterOpThreads,
            device.Provider.ToString().ToLowerInvariant(),
            "onnxruntime " + OrtEnv.Instance().GetVersionString(),
            RuntimeInformation.OSDescription,
            device.Batch,
            string.Create(CultureInfo.InvariantCulture, $"{input.Channels}x{input.Height}x{input.Width}"),
            device.GraphOptimization.ToString().ToLowerInvariant(),
            device.Precision.ToString().ToLowerInvariant());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LatencyMeasurement>> ProfileAsync(
        IReadOnlyList<ProfileRequest> models,
        IProgress<ProfileProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);

        // Timing is synchronous and CPU-bound; keep it off the caller's thread.
        return Task.Run(() => Profile(models, progress, cancellationToken), cancellationToken);
    }

    private static void Validate(LatencyProfilerOptions options)
    {
        var m = options.Measure;
        var adaptive = m.Adaptive;
        string? problem = null;
        if (m.Warmup < 0)
        {
            problem = "warmup must be 0 or more";
        }
        else if (!adaptive.Enabled && m.Runs < 1)
        {
            problem = "runs must be at least 1";
        }
        else if (adaptive.Enabled && (adaptive.MinRuns < 2 || adaptive.MaxRuns < adaptive.MinRuns || !(adaptive.MaxRelativeError > 0)))
        {
            problem = "adaptive stopping needs min_runs >= 2, max_runs >= min_runs and a positive max_relative_error";
        }
        else if (!(m.Trim >= 0 && m.Trim < 0.5))
        {
            problem = "trim must be in [0, 0.5)";
        }
        else if (options.ReferenceModels.Count > 0 && (m.ReferenceEvery < 1 || !(m.MaxVariance > 0)))
        {
            problem = "the drift check needs reference_every >= 1 and a positive max_variance";
        }
        else if (options.MaxRemeasureRounds < 0)
        {
            problem = "max re-measure rounds must be 0 or more";
        }

        if (problem is not null)
        {
            throw new HwNasException($"Invalid measurement settings (device.measure): {problem}.", ExitCode.BadConfig);
        }
    }

    private IReadOnlyList<LatencyMeasurement> Profile(
        IReadOnlyList<ProfileRequest> models,
        IProgress<ProfileProgress>? progress,
        CancellationToken cancellationToken)
    {
        // One batch at a time: concurrent timing on the same device would disturb both batches.
        lock (_batch)
        {
            var clock = Stopwatch.StartNew();
            var batch = new ProfileBatch(models, KeyOf, _store, _options.Measure.Statistic);
            if (batch.Done > 0)
            {
                progress?.Report(new ProfileProgress(batch.Done, models.Count, clock.Elapsed, batch.Pending.Count == 0 ? TimeSpan.Zero : null, string.Empty));
            }

            if (batch.Pending.Count > 0)
            {
                _store?.SaveDevice(Fingerprint);
                _drift.EnsureBaselines(cancellationToken);
                MeasurePending(batch, progress, clock, cancellationToken);
            }

            return batch.Results();
        }
    }

    private void MeasurePending(ProfileBatch batch, IProgress<ProfileProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var measuringSince = clock.Elapsed;
        var measured = 0;
        var pending = batch.Pending.ToList();
        var rounds = new Dictionary<MeasurementKey, int>();
        var sinceCheck = new List<ProfileRequest>();
        while (pending.Count > 0)
        {
            // Models measured together are interleaved; a group never spans a drift check, so a failed check flags
            // exactly the measurements taken since the last good one.
            var size = Math.Min(pending.Count, MaxModelsPerGroup);
            if (_drift.Enabled)
            {
                size = Math.Min(size, Math.Max(1, _options.Measure.ReferenceEvery - sinceCheck.Count));
            }

            var group = pending.GetRange(0, size);
            pending.RemoveRange(0, size);
            var groupResults = _engine.Measure(group, cancellationToken);
            for (var g = 0; g < group.Count; g++)
            {
                var record = ToRecord(KeyOf(group[g]), groupResults[g]);
                _store?.SaveMeasurement(record);
                batch.Complete(group[g], record, groupResults[g].Operators);
                sinceCheck.Add(group[g]);
            }

            measured += group.Count;
            var perModel = (clock.Elapsed - measuringSince) / measured;
            progress?.Report(new ProfileProgress(batch.Done, batch.Count, clock.Elapsed, perModel * pending.Count, group[^1].GenomeKey));

            if (_drift.Enabled && (sinceCheck.Count >= _options.Measure.ReferenceEvery || pending.Count == 0))
            {
                if (!_drift.Passes(cancellationToken))
                {
                    FlagAndRequeue(sinceCheck, pending, rounds, batch);
                }

                sinceCheck.Clear();
            }
        }
    }

    /// <summary>Marks the measurements since the last passing check suspect and queues them (first) for re-measuring.</summary>
    private void FlagAndRequeue(List<ProfileRequest> sinceCheck, List<ProfileRequest> pending, Dictionary<MeasurementKey, int> rounds, ProfileBatch batch)
    {
        var keys = sinceCheck.Select(KeyOf).ToList();
        _store?.MarkSuspect(keys);
        foreach (var key in keys)
        {
            batch.MarkSuspect(key);
        }

        var again = sinceCheck.Where(r => rounds.GetValueOrDefault(KeyOf(r)) < _options.MaxRemeasureRounds).ToList();
        foreach (var request in again)
        {
            rounds[KeyOf(request)] = rounds.GetValueOrDefault(KeyOf(request)) + 1;
        }

        pending.InsertRange(0, again);
    }

    private static MeasurementRecord ToRecord(MeasurementKey key, EngineResult result) => new(
        key, result.Statistics, result.SessionCreationMs, result.FirstInferenceMs, result.PeakWorkingSetBytes, Suspect: false, DateTimeOffset.UtcNow);

    private MeasurementKey KeyOf(ProfileRequest request) =>
        new(Fingerprint.Key, request.Family, request.SettingsHash, request.GenomeKey, _options.Metric);
}
