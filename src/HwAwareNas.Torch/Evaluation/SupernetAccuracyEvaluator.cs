using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Torch.Evaluation;

/// <summary>
/// The live accuracy evaluator of a search: BatchNorm-recalibrated top-1 of each genome's sub-network, cached by
/// (weights hash, canonical genome, data) so repeated and equivalent genomes are evaluated once.
/// </summary>
public sealed class SupernetAccuracyEvaluator : IEvaluator
{
    private readonly SubnetAccuracy _accuracy;
    private readonly ISearchSpace _space;
    private readonly IAccuracyCache _cache;
    private readonly string _checkpointHash;
    private readonly string _datasetKey;

    /// <summary>Creates the evaluator; <paramref name="checkpointHash"/> and <paramref name="datasetKey"/> scope the cache.</summary>
    public SupernetAccuracyEvaluator(
        SubnetAccuracy accuracy, ISearchSpace space, IAccuracyCache cache, string checkpointHash, string datasetKey)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentException.ThrowIfNullOrEmpty(checkpointHash);
        ArgumentException.ThrowIfNullOrEmpty(datasetKey);
        _accuracy = accuracy;
        _space = space;
        _cache = cache;
        _checkpointHash = checkpointHash;
        _datasetKey = datasetKey;
    }

    /// <summary>Genomes evaluated (not served from the cache) so far.</summary>
    public int Evaluations { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy];

    /// <summary>Accuracy (0..1) of one genome, from the cache when known.</summary>
    public double Evaluate(Genome genome)
    {
        var canonical = _space.Canonicalize(genome);
        var key = new AccuracyKey(_checkpointHash, canonical.Key, _datasetKey);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var accuracy = _accuracy.Evaluate(canonical);
        Evaluations++;
        _cache.Put(key, accuracy);
        return accuracy;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var results = new List<EvaluatedCandidate>(genomes.Count);
        foreach (var genome in genomes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(new EvaluatedCandidate(genome, [Evaluate(genome)], EvaluationOrigin.Measured));
        }

        return Task.FromResult<IReadOnlyList<EvaluatedCandidate>>(results);
    }
}
