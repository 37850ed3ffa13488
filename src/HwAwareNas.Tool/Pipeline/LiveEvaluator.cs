using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Measures sub-networks for real: accuracy on the validation split (BatchNorm re-calibrated, cached in the store)
/// and latency of the exported ONNX model on the configured device (measurements kept in the store). Values are
/// accuracy, latency, then any structural objectives (params, macs, size), which are exact.
/// </summary>
internal sealed class LiveEvaluator : IEvaluator
{
    private readonly IElasticFamily _family;
    private readonly SubnetOnnx _onnx;
    private readonly IEvaluator _accuracy;
    private readonly ILatencyProfiler _profiler;
    private readonly StructuralCosts _costs;
    private readonly Dictionary<string, LatencyMeasurement> _latencies = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the evaluator; <paramref name="accuracy"/> evaluates accuracy alone (on this machine or on validators),
    /// and <paramref name="objectives"/> must start with accuracy and latency, any others being structural (default:
    /// accuracy and latency only).
    /// </summary>
    public LiveEvaluator(SubnetOnnx onnx, IEvaluator accuracy, ILatencyProfiler profiler, IReadOnlyList<Objective>? objectives = null)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        if (accuracy.Objectives is not [var only] || only != Objective.Accuracy)
        {
            throw new ArgumentException("The accuracy evaluator must evaluate accuracy alone.", nameof(accuracy));
        }

        objectives ??= [Objective.Accuracy, Objective.Latency];
        if (objectives.Count < 2 || objectives[AccuracyIndex] != Objective.Accuracy || objectives[LatencyIndex] != Objective.Latency
            || !objectives.Skip(2).All(StructuralCosts.IsStructural))
        {
            throw new ArgumentException(
                $"Live objectives are accuracy, latency, then params, macs or size; got {string.Join(", ", objectives.Select(o => o.Name))}.",
                nameof(objectives));
        }

        _family = onnx.Family;
        _onnx = onnx;
        _accuracy = accuracy;
        _profiler = profiler;
        _costs = new StructuralCosts(_family);
        Objectives = objectives;
    }

    // Live objectives start with accuracy, then latency (checked when the evaluator is created).
    private const int AccuracyIndex = 0;
    private const int LatencyIndex = 1;

    /// <summary>Latency measurements actually taken (not read from the store).</summary>
    public int NewMeasurements { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>The device agents that took this run's latency measurements (empty when this machine measured).</summary>
    public IReadOnlyList<string> MeasuringAgents =>
        [.. _latencies.Values.Select(m => m.Record.MeasuredBy).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The latency measurement of a genome evaluated earlier in this run, or null.</summary>
    public LatencyMeasurement? MeasurementOf(Genome genome) =>
        _latencies.GetValueOrDefault(_family.Canonicalize(genome).Key);

    /// <summary>The accuracy (a fraction) of a candidate whose values follow live objectives (measured or predicted).</summary>
    public static double AccuracyOf(EvaluatedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Values[AccuracyIndex];
    }

    /// <summary>The latency in milliseconds of a candidate whose values follow live objectives (measured or predicted).</summary>
    public static double LatencyMsOf(EvaluatedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Values[LatencyIndex];
    }

    /// <summary>The settings hash latency measurements of <paramref name="family"/> are stored under.</summary>
    public static string SettingsHashOf(IElasticFamily family) => StableHash.OfText(family.SettingsText);

    /// <summary>A profiling request for <paramref name="genome"/> (its ONNX model exported now).</summary>
    public static ProfileRequest RequestFor(SubnetOnnx onnx, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        var canonical = onnx.Family.Canonicalize(genome);
        return new ProfileRequest(
            canonical.Key, onnx.Family.Family, SettingsHashOf(onnx.Family), OnnxModel.FromBytes(onnx.Export(canonical, recalibrate: false)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = genomes.Select(_family.Canonicalize).ToList();

        // The whole batch at once, so validators (when configured) share it out.
        var accuracies = (await _accuracy.EvaluateAsync(canonical, cancellationToken).ConfigureAwait(false)).Select(c => c.Values[0]).ToList();

        // New latencies are profiled a group at a time, so their timed runs are interleaved and drift shifts them alike;
        // groups bound how many exported models are held in memory at once.
        foreach (var group in canonical.Where(g => !_latencies.ContainsKey(g.Key)).DistinctBy(g => g.Key).Chunk(OrtLatencyProfiler.MaxModelsPerGroup))
        {
            var measured = await _profiler.ProfileAsync([.. group.Select(g => RequestFor(_onnx, g))], null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < group.Length; i++)
            {
                NewMeasurements += measured[i].FromStore ? 0 : 1;
                _latencies[group[i].Key] = measured[i];
            }
        }

        return [.. canonical.Select((g, i) => new EvaluatedCandidate(
            g, [accuracies[i], _latencies[g.Key].LatencyMs, .. Objectives.Skip(2).Select(o => _costs.ValueOf(o, g))], EvaluationOrigin.Measured))];
    }
}
