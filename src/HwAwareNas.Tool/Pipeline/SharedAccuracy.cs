using System.Collections.Concurrent;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// One run's accuracy, validated once per sub-network whatever number of devices asks for it: the first request for a
/// genome goes to the accuracy evaluator (which also keeps it in the results store), later ones, from any device and
/// any thread, are answered from memory. Requests are served one batch at a time, since validation uses every core.
/// </summary>
internal sealed class SharedAccuracy(IEvaluator accuracy, ISearchSpace space) : IEvaluator, IDisposable
{
    private readonly ConcurrentDictionary<string, double> _known = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy];

    /// <summary>Genomes whose accuracy this run asked the evaluator for (validated, or read from the store by it).</summary>
    public int Requested => _known.Count;

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        cancellationToken.ThrowIfCancellationRequested();
        var canonical = genomes.Select(space.Canonicalize).ToList();
        if (canonical.Any(g => !_known.ContainsKey(g.Key)))
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var missing = canonical.Where(g => !_known.ContainsKey(g.Key)).DistinctBy(g => g.Key).ToList();
                if (missing.Count > 0)
                {
                    var evaluated = await accuracy.EvaluateAsync(missing, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < missing.Count; i++)
                    {
                        _known[missing[i].Key] = evaluated[i].Values[0];
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        return [.. canonical.Select(g => new EvaluatedCandidate(g, [_known[g.Key]], EvaluationOrigin.Measured))];
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
