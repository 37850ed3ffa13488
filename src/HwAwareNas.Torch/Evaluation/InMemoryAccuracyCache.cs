using System.Collections.Concurrent;

namespace HwAwareNas.Torch.Evaluation;

/// <summary>An accuracy cache that lives as long as the process.</summary>
internal sealed class InMemoryAccuracyCache : IAccuracyCache
{
    private readonly ConcurrentDictionary<AccuracyKey, double> _entries = new();

    /// <summary>Number of cached accuracies.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool TryGet(AccuracyKey key, out double accuracy) => _entries.TryGetValue(key, out accuracy);

    /// <inheritdoc />
    public void Put(AccuracyKey key, double accuracy) => _entries[key] = accuracy;
}
