using HwAwareNas.Core.Results;
using HwAwareNas.Torch.Evaluation;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Accuracy cache backed by the results store, so a re-run evaluates no sub-network twice.</summary>
internal sealed class StoreAccuracyCache(ResultsStore store) : IAccuracyCache
{
    /// <inheritdoc />
    public bool TryGet(AccuracyKey key, out double accuracy)
    {
        var record = store.TryGetAccuracy(key.CheckpointHash, key.GenomeKey, key.DatasetKey);
        accuracy = record?.Value ?? 0;
        return record is not null;
    }

    /// <inheritdoc />
    public void Put(AccuracyKey key, double accuracy) =>
        store.SaveAccuracy(new AccuracyRecord(key.CheckpointHash, key.GenomeKey, key.DatasetKey, accuracy, DateTimeOffset.UtcNow));
}
