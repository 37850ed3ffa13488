namespace HwAwareNas.Torch.Evaluation;

/// <summary>What an accuracy depends on: the weights, the sub-network and the data it was measured on.</summary>
/// <param name="CheckpointHash">SHA-256 of the super-network weights.</param>
/// <param name="GenomeKey">The canonical genome's key.</param>
/// <param name="DatasetKey">Key of the calibration/validation data.</param>
public sealed record AccuracyKey(string CheckpointHash, string GenomeKey, string DatasetKey);

/// <summary>
/// Stores measured sub-network accuracies so that nothing is evaluated twice; the results store can implement it to
/// keep them across runs.
/// </summary>
public interface IAccuracyCache
{
    /// <summary>The cached accuracy for <paramref name="key"/>, if any.</summary>
    bool TryGet(AccuracyKey key, out double accuracy);

    /// <summary>Stores an accuracy.</summary>
    void Put(AccuracyKey key, double accuracy);
}
