using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>
/// One batch asked of a profiler, whoever measures it: the same model asked for twice is measured once, what the
/// results store already holds (not suspect, with the configured statistic) is taken from it, and each measurement
/// fills every position of its model as it arrives. Local and remote profilers share it, so both answer alike.
/// </summary>
public sealed class ProfileBatch
{
    private readonly IReadOnlyList<ProfileRequest> _models;
    private readonly Func<ProfileRequest, MeasurementKey> _keyOf;
    private readonly LatencyStatistic _statistic;
    private readonly Dictionary<MeasurementKey, List<int>> _positions = [];
    private readonly LatencyMeasurement?[] _results;

    /// <summary>Sorts <paramref name="models"/> into stored and pending.</summary>
    /// <param name="models">The batch, in the caller's order.</param>
    /// <param name="keyOf">The results-store key of a model on this profiler's device.</param>
    /// <param name="store">The results store measurements are taken from, or null.</param>
    /// <param name="statistic">Which statistic is the latency.</param>
    public ProfileBatch(
        IReadOnlyList<ProfileRequest> models,
        Func<ProfileRequest, MeasurementKey> keyOf,
        ResultsStore? store,
        LatencyStatistic statistic)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(keyOf);
        _models = models;
        _keyOf = keyOf;
        _statistic = statistic;
        _results = new LatencyMeasurement?[models.Count];
        var unique = new List<ProfileRequest>();
        for (var i = 0; i < models.Count; i++)
        {
            var key = keyOf(models[i]);
            if (!_positions.TryGetValue(key, out var list))
            {
                _positions[key] = list = [];
                unique.Add(models[i]);
            }

            list.Add(i);
        }

        var pending = new List<ProfileRequest>();
        foreach (var request in unique)
        {
            var key = keyOf(request);
            if (TryGetUsable(store, key, statistic) is { } stored)
            {
                foreach (var i in _positions[key])
                {
                    _results[i] = new LatencyMeasurement(models[i], stored, FromStore: true, [], statistic);
                }

                Done += _positions[key].Count;
            }
            else
            {
                pending.Add(request);
            }
        }

        Pending = pending;
    }

    /// <summary>A stored measurement that can be used as it is: not suspect, and holding <paramref name="statistic"/>.</summary>
    public static MeasurementRecord? TryGetUsable(ResultsStore? store, MeasurementKey key, LatencyStatistic statistic) =>
        store?.TryGetMeasurement(key) is { Suspect: false } stored && double.IsFinite(stored.Statistics.Figure(statistic))
            ? stored
            : null;

    /// <summary>The distinct models that must be measured, in first-asked order.</summary>
    public IReadOnlyList<ProfileRequest> Pending { get; }

    /// <summary>Positions of the batch that have a result.</summary>
    public int Done { get; private set; }

    /// <summary>Positions in the batch.</summary>
    public int Count => _models.Count;

    /// <summary>Records a new measurement of <paramref name="request"/> for every position that asked for it.</summary>
    public void Complete(ProfileRequest request, MeasurementRecord record, IReadOnlyList<OperatorTiming> operators)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(record);
        var positions = _positions[_keyOf(request)];
        if (_results[positions[0]] is null)
        {
            Done += positions.Count;
        }

        foreach (var i in positions)
        {
            _results[i] = new LatencyMeasurement(_models[i], record, FromStore: false, operators, _statistic);
        }
    }

    /// <summary>Flags the results of <paramref name="key"/> suspect (a drift check failed after they were taken).</summary>
    public void MarkSuspect(MeasurementKey key)
    {
        foreach (var i in _positions[key])
        {
            _results[i] = _results[i]! with { Record = _results[i]!.Record with { Suspect = true } };
        }
    }

    /// <summary>One measurement per position, in the caller's order.</summary>
    /// <exception cref="InvalidOperationException">Some model has no result yet.</exception>
    public IReadOnlyList<LatencyMeasurement> Results() =>
        Done == _models.Count
            ? [.. _results.Select(r => r!)]
            : throw new InvalidOperationException($"{_models.Count - Done} of {_models.Count} models have no measurement.");
}
