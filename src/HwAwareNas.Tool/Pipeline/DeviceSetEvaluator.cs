using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The live evaluator of one search for several devices: accuracy once per sub-network, then each device's latency.
/// Values are accuracy, each device's latency (<see cref="Objective.LatencyOn"/>, in device order), then the
/// structural objectives.
/// </summary>
internal sealed class DeviceSetEvaluator : IEvaluator
{
    private readonly IReadOnlyList<DeviceTarget> _devices;
    private readonly IEvaluator _accuracy;

    /// <summary>Creates the evaluator over <paramref name="devices"/>, whose live evaluators share <paramref name="accuracy"/>.</summary>
    public DeviceSetEvaluator(IReadOnlyList<DeviceTarget> devices, IEvaluator accuracy)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(accuracy);
        if (devices.Count == 0 || devices.Any(d => d.Name is null))
        {
            throw new ArgumentException("A device set needs named devices.", nameof(devices));
        }

        _devices = devices;
        _accuracy = accuracy;
        var single = devices[0].Live.Objectives;
        Objectives = [single[0], .. devices.Select(d => d.LatencyObjective), .. single.Skip(2)];
    }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>The values of <paramref name="candidate"/> (of this evaluator) as <paramref name="device"/>'s live evaluator gives them.</summary>
    public EvaluatedCandidate ForDevice(EvaluatedCandidate candidate, int device)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var values = candidate.Values;
        return new EvaluatedCandidate(candidate.Genome, [values[0], values[1 + device], .. values.Skip(1 + _devices.Count)], candidate.Origin);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);

        // Validation uses every core, so it runs before any device measures; the devices' evaluators then find it done.
        await _accuracy.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);

        // Device pools measure in parallel; devices measured on this machine take turns, so one's timing runs do not
        // disturb another's.
        var results = new IReadOnlyList<EvaluatedCandidate>[_devices.Count];
        async Task MeasureAsync(int index) => results[index] = await _devices[index].Live.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        async Task MeasureLocalAsync()
        {
            foreach (var index in Enumerable.Range(0, _devices.Count).Where(i => !_devices[i].IsRemote))
            {
                await MeasureAsync(index).ConfigureAwait(false);
            }
        }

        await Task.WhenAll([MeasureLocalAsync(), .. Enumerable.Range(0, _devices.Count).Where(i => _devices[i].IsRemote).Select(MeasureAsync)]).ConfigureAwait(false);
        var first = results[0];
        return [.. first.Select((c, i) => new EvaluatedCandidate(
            c.Genome, [c.Values[0], .. results.Select(r => r[i].Values[1]), .. c.Values.Skip(2)], EvaluationOrigin.Measured))];
    }
}
